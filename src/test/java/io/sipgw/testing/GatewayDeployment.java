package io.sipgw.testing;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The real WAR that `mvn package` built, deployed at context root {@code /} (hence ROOT.war). */
public final class GatewayDeployment {

    /** How long the previous test class's server may take to let go of the ports. */
    private static final Duration PORTS_RELEASED = Duration.ofSeconds(60);

    private GatewayDeployment() {
    }

    /**
     * The archive, once the ports of the test server are free: every test class gets a server of its own on
     * the same ports, and the container stops the previous one without waiting for it to exit; a new
     * server that starts meanwhile fails with "Address already in use" and the class errors after the
     * startup timeout.
     */
    public static WebArchive war() {
        awaitFree(List.of(Integer.getInteger("it.http.port")),
                List.of(Integer.getInteger("it.sip.port"), Integer.getInteger("it.registrar.port")));
        File war = new File(System.getProperty("it.war"));
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
    }

    private static void awaitFree(List<Integer> tcpPorts, List<Integer> tcpAndUdpPorts) {
        long deadline = System.nanoTime() + PORTS_RELEASED.toNanos();
        while (!(tcpPorts.stream().allMatch(GatewayDeployment::tcpFree)
                && tcpAndUdpPorts.stream().allMatch(p -> tcpFree(p) && udpFree(p)))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ports " + tcpPorts + " " + tcpAndUdpPorts + " still taken after "
                        + PORTS_RELEASED + " (an earlier test server still running?)");
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private static boolean tcpFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean udpFree(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
