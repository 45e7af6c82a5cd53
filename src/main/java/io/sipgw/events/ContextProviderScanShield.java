package io.sipgw.events;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A context class loader that hides one service file and delegates everything else to the application's
 * loader. With an idle timeout set, Payara's Tyrus re-arms a socket's idle timer on the managed scheduled
 * executor for every frame it sends, and Payara captures the caller's context for each of those tasks with
 * a {@code ServiceLoader} scan of every jar for {@code jakarta.enterprise.concurrent.spi.ThreadContextProvider}:
 * about 7 % of the server's CPU in the messaging benchmark. The gateway declares no such provider, so a
 * send runs with this loader as the thread's context class loader and the scan finds nothing at once.
 * Classes and all other resources still come from the application's loader. Tyrus's idle timeout is now
 * off ({@link SocketRegistry} sweeps idle sockets itself), so no timer is armed per frame any more; the
 * shield stays around sends for any other context capture on Payara's executors, where it costs nothing.
 */
final class ContextProviderScanShield extends ClassLoader {

    static final String HIDDEN = "META-INF/services/jakarta.enterprise.concurrent.spi.ThreadContextProvider";

    static {
        registerAsParallelCapable();
    }

    private static volatile ContextProviderScanShield last;

    private ContextProviderScanShield(ClassLoader application) {
        super(application);
    }

    /** The shield over {@code application} (one per loader in practice: the application's own). */
    static ClassLoader over(ClassLoader application) {
        if (application == null || application instanceof ContextProviderScanShield) {
            return application;
        }
        ContextProviderScanShield shield = last;
        if (shield == null || shield.getParent() != application) {
            shield = new ContextProviderScanShield(application);
            last = shield;
        }
        return shield;
    }

    /** Runs {@code action} with the shield as the context class loader of the current thread. */
    static void run(Runnable action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(over(previous));
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return HIDDEN.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
}
