package io.sipgw.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import jakarta.enterprise.concurrent.spi.ThreadContextProvider;
import jakarta.enterprise.concurrent.spi.ThreadContextSnapshot;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextProviderScanShieldTest {

    @TempDir
    Path dir;

    /** An application loader that declares a context provider and one other service file. */
    private URLClassLoader application() throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("jakarta.enterprise.concurrent.spi.ThreadContextProvider"), TestProvider.class.getName() + "\n");
        Files.writeString(services.resolve("com.example.Other"), "com.example.OtherImpl\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void hidesOnlyTheContextProviderServiceFile() throws Exception {
        try (URLClassLoader application = application()) {
            ClassLoader shield = ContextProviderScanShield.over(application);

            assertEquals(1, Collections.list(application.getResources(ContextProviderScanShield.HIDDEN)).size());
            assertFalse(shield.getResources(ContextProviderScanShield.HIDDEN).hasMoreElements());
            assertEquals(1, Collections.list(shield.getResources("META-INF/services/com.example.Other")).size());
            assertSame(List.class, shield.loadClass("java.util.List"));
            assertSame(ContextProviderScanShieldTest.class, shield.loadClass(ContextProviderScanShieldTest.class.getName()));
        }
    }

    @Test
    void aServiceLoaderScanThroughTheShieldFindsNoContextProvider() throws Exception {
        try (URLClassLoader application = application()) {
            assertEquals(1, ServiceLoader.load(ThreadContextProvider.class, application).stream().count());
            assertEquals(0, ServiceLoader.load(ThreadContextProvider.class, ContextProviderScanShield.over(application))
                    .stream().count());
        }
    }

    /** A context provider the application declares. */
    public static class TestProvider implements ThreadContextProvider {
        @Override
        public ThreadContextSnapshot currentContext(Map<String, String> props) {
            return () -> () -> { };
        }

        @Override
        public ThreadContextSnapshot clearedContext(Map<String, String> props) {
            return currentContext(props);
        }

        @Override
        public String getThreadContextType() {
            return "Test";
        }
    }

    @Test
    void runRestoresTheContextClassLoaderAndReusesTheShield() throws Exception {
        try (URLClassLoader application = application()) {
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(application);
            try {
                AtomicReference<ClassLoader> during = new AtomicReference<>();
                ContextProviderScanShield.run(() -> during.set(Thread.currentThread().getContextClassLoader()));
                assertSame(application, during.get().getParent());
                assertSame(application, thread.getContextClassLoader());
                assertSame(during.get(), ContextProviderScanShield.over(application));
                assertSame(during.get(), ContextProviderScanShield.over(during.get()));
            } finally {
                thread.setContextClassLoader(before);
            }
        }
    }
}
