package org.acme.sse.testing;

import java.io.IOException;
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
        ProxyPump.start("round-robin-accept", this::acceptLoop);
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
                    // as a balancer whose upstream is down: the client sees the connection end
                    ProxyPump.closeQuietly(client);
                    continue;
                }
                connectionTargets.add(target);
                sockets.add(client);
                sockets.add(upstream);
                ProxyPump.start("round-robin-up", () -> pump(client, upstream));
                ProxyPump.start("round-robin-down", () -> pump(upstream, client));
                if (cutAfter != null) {
                    cutter.schedule(() -> {
                        ProxyPump.closeQuietly(client);
                        ProxyPump.closeQuietly(upstream);
                    }, cutAfter.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        ProxyPump.pump(from, to, ProxyPump.AS_THEY_COME);
        sockets.remove(from);
        sockets.remove(to);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(ProxyPump::closeQuietly);
        cutter.shutdownNow();
    }
}
