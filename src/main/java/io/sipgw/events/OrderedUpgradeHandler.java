package io.sipgw.events;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler, with its read listener registered only once the socket is open.
 *
 * <p>Tyrus 2.1.5 ({@code TyrusHttpUpgradeHandler.init}) registers itself as the connection's read listener
 * before it opens the socket, and its {@code onDataAvailable} first waits, without a timeout, for the
 * socket to be open. When bytes after the handshake arrived with it (a first frame sent without waiting for
 * the 101, pipelined bytes, a body on the upgrade request), Payara's {@code setReadListener} calls
 * {@code onDataAvailable} at once on the same thread, which then waits for itself forever: one HTTP worker
 * thread lost per such handshake, from anyone, with or without a token, until the pool (200 threads) is
 * gone and the server answers nothing (measured here: a few hundred such handshakes parked all 200). Here
 * Tyrus's {@code init} gets the connection with the read listener held back; it is handed to the container
 * after {@code init} returned, when the socket is open, so data already there is read at once.
 * {@link UpgradeGuard} makes Tyrus's upgrade create this class instead of its own.
 */
public class OrderedUpgradeHandler extends TyrusHttpUpgradeHandler {

    private static final Logger LOG = Logger.getLogger(OrderedUpgradeHandler.class.getName());

    @Override
    public void init(WebConnection connection) {
        HeldBackReads held = new HeldBackReads(connection);
        super.init(held); // throws if the socket could not be opened: then nothing is registered
        held.release();
    }

    /** The container's connection, holding back the read listener until {@link #release}. */
    private static final class HeldBackReads implements WebConnection {
        private final WebConnection connection;
        private ServletInputStream in;
        private ReadListener listener;

        HeldBackReads(WebConnection connection) {
            this.connection = connection;
        }

        void release() {
            if (listener == null || in == null) {
                return;
            }
            try {
                in.setReadListener(listener);
            } catch (IllegalStateException alreadySet) {
                LOG.log(Level.FINE, "read listener not registered", alreadySet);
            }
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream real = connection.getInputStream();
            in = real;
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return real.isFinished();
                }

                @Override
                public boolean isReady() {
                    return real.isReady();
                }

                @Override
                public void setReadListener(ReadListener readListener) {
                    listener = readListener;
                }

                @Override
                public int read() throws IOException {
                    return real.read();
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    return real.read(bytes, offset, length);
                }

                @Override
                public int available() throws IOException {
                    return real.available();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return connection.getOutputStream();
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }
}
