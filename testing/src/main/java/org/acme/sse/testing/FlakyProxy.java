package org.acme.sse.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of the app that behaves like a bad network, on demand: it closes every connection a
 * fixed time after it was opened ({@link #cutting}), or hands the server's bytes to the client a few at a time
 * ({@link #trickling}), so that a multi-byte UTF-8 character or an SSE line arrives in separate reads. The
 * browser talks to {@link #port()}; the proxy forwards bytes both ways to the app and remembers the request
 * line and Last-Event-ID of each HTTP request it forwards.
 */
public final class FlakyProxy implements AutoCloseable {

    private static final Pattern REQUEST = Pattern.compile("^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) (\\S+) HTTP/1\\.1\r\n");

    /** One request seen by the proxy: "GET /sse?count=3", and its Last-Event-ID header or null. */
    public record Request(String line, String lastEventId) {
    }

    private final ServerSocket server;
    private final int targetPort;
    private final Duration cutAfter; // null: never cut
    private final int piece; // bytes per write towards the client; 0: as they come
    private final Duration pause;
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private FlakyProxy(int targetPort, Duration cutAfter, int piece, Duration pause) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        this.piece = piece;
        this.pause = pause;
        ProxyPump.start("proxy-accept", this::acceptLoop);
    }

    /** A proxy to {@code localhost:targetPort} that cuts each connection {@code cutAfter} after it opened. */
    public static FlakyProxy cutting(int targetPort, Duration cutAfter) {
        return create(targetPort, cutAfter, 0, Duration.ZERO);
    }

    /** A proxy to {@code localhost:targetPort} that sends the responses {@code piece} bytes at a time. */
    public static FlakyProxy trickling(int targetPort, int piece, Duration pause) {
        return create(targetPort, null, piece, pause);
    }

    private static FlakyProxy create(int targetPort, Duration cutAfter, int piece, Duration pause) {
        try {
            return new FlakyProxy(targetPort, cutAfter, piece, pause);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The requests forwarded so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                ProxyPump.start("proxy-up", () -> pump(client, upstream, true));
                ProxyPump.start("proxy-down", () -> pump(upstream, client, false));
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

    private void pump(Socket from, Socket to, boolean request) {
        ProxyPump.pump(from, to, (out, buffer, n) -> {
            if (request) {
                remember(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                ProxyPump.AS_THEY_COME.write(out, buffer, n);
            } else {
                writeInPieces(to, out, buffer, n);
            }
        });
    }

    private void writeInPieces(Socket to, OutputStream out, byte[] buffer, int length) throws IOException {
        if (piece == 0) {
            out.write(buffer, 0, length);
            out.flush();
            return;
        }
        to.setTcpNoDelay(true); // each piece its own TCP segment
        for (int offset = 0; offset < length; offset += piece) {
            out.write(buffer, offset, Math.min(piece, length - offset));
            out.flush();
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    private void remember(String bytes) {
        Matcher matcher = REQUEST.matcher(bytes);
        if (matcher.find()) {
            requests.add(new Request(matcher.group(1) + " " + matcher.group(2), lastEventId(bytes)));
        }
    }

    private static String lastEventId(String head) {
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "Last-Event-ID:", 0, 14)) {
                return line.substring(14).trim();
            }
        }
        return null;
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
