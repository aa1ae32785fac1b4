package org.acme.sse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer for tests: a TCP proxy that sends each new connection to the next of several app instances in
 * turn (round robin, no stickiness), and, if asked, cuts each connection a fixed time after it opened. With two
 * instances, a browser whose connection is cut reconnects to the other one. It stands in for nginx with
 * {@code upstream { server a; server b; }} where a test needs a cut on a schedule.
 */
public final class RoundRobinProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Integer> targetPorts;
    private final Duration cutAfter; // null: never cut
    private final AtomicInteger next = new AtomicInteger();
    private final List<Integer> connectionTargets = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();

    private RoundRobinProxy(List<Integer> targetPorts, Duration cutAfter) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPorts = List.copyOf(targetPorts);
        this.cutAfter = cutAfter;
        start("round-robin-accept", this::acceptLoop);
    }

    /** A proxy that sends connection 1 to the first port, connection 2 to the second, and so on, never cutting. */
    public static RoundRobinProxy to(List<Integer> targetPorts) {
        return create(targetPorts, null);
    }

    /** The same, and each connection is closed {@code cutAfter} after it was opened. */
    public static RoundRobinProxy cutting(List<Integer> targetPorts, Duration cutAfter) {
        return create(targetPorts, cutAfter);
    }

    private static RoundRobinProxy create(List<Integer> targetPorts, Duration cutAfter) {
        if (targetPorts.isEmpty()) {
            throw new IllegalArgumentException("no target");
        }
        try {
            return new RoundRobinProxy(targetPorts, cutAfter);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The target port of each connection accepted so far, in order. */
    public List<Integer> connectionTargets() {
        return List.copyOf(connectionTargets);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                int target = targetPorts.get(Math.floorMod(next.getAndIncrement(), targetPorts.size()));
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException refused) {
                    closeQuietly(client); // as a balancer whose upstream is down: the client sees the connection end
                    continue;
                }
                connectionTargets.add(target);
                sockets.add(client);
                sockets.add(upstream);
                start("round-robin-up", () -> pump(client, upstream));
                start("round-robin-down", () -> pump(upstream, client));
                if (cutAfter != null) {
                    cutter.schedule(() -> {
                        closeQuietly(client);
                        closeQuietly(upstream);
                    }, cutAfter.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException cut) {
            // the cut, or the other side closed: either way this direction is over
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(RoundRobinProxy::closeQuietly);
        cutter.shutdownNow();
    }
}
