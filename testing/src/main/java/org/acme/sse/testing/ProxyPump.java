package org.acme.sse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** The byte copying and thread plumbing shared by the test proxies ({@link FlakyProxy}, {@link RoundRobinProxy}). */
final class ProxyPump {

    /** Writes the {@code length} bytes just read into {@code buffer} towards the other side. */
    interface Forward {
        void write(OutputStream out, byte[] buffer, int length) throws IOException;
    }

    /** Forwards the bytes as they come. */
    static final Forward AS_THEY_COME = (out, buffer, length) -> {
        out.write(buffer, 0, length);
        out.flush();
    };

    private ProxyPump() {
    }

    /**
     * Copies {@code from}'s bytes to {@code to} through {@code forward} until either side closes or is cut, then
     * closes both sockets.
     */
    static void pump(Socket from, Socket to, Forward forward) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                forward.write(out, buffer, n);
            }
        } catch (IOException cut) {
            // the cut, or the other side closed: either way this direction is over
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
