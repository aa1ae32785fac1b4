package org.acme.sse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 exchange over a plain socket, for tests that look at the bytes on the wire.
 *
 * A background thread keeps every byte the server sends; the test waits, with a timeout, for the response
 * head, for the body to contain something, or for the response to end. Nothing is parsed as SSE here: the
 * tests assert on the text the server wrote. The body is given de-chunked ({@code Transfer-Encoding: chunked}
 * is HTTP framing, not part of the event stream), {@link #wire()} gives the bytes exactly as received.
 */
public final class RawHttpStream implements AutoCloseable {

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean eof;

    private RawHttpStream(Socket socket) {
        this.socket = socket;
        Thread reader = new Thread(this::readAll, "raw-http-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static RawHttpStream get(URI uri, String... headerNamesAndValues) {
        return send("GET", uri, null, headerNamesAndValues);
    }

    /**
     * Sends one request. {@code headerNamesAndValues} alternate name, value; Host, Connection and
     * Content-Length are added.
     */
    public static RawHttpStream send(String method, URI uri, byte[] body, String... headerNamesAndValues) {
        try {
            Socket socket = new Socket(uri.getHost(), uri.getPort());
            StringBuilder request = requestHead(method, uri, headerNamesAndValues);
            if (body != null) {
                request.append("Content-Length: ").append(body.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return new RawHttpStream(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one request whose body goes out with {@code Transfer-Encoding: chunked}, one HTTP chunk per piece
     * and a short pause between them, so the server receives the body in separate reads.
     *
     * <p>
     * A server may answer before the body is complete -- a 413 for a body over its limit -- and close the
     * connection (RFC 9112, section 9.6): then the rest of the body cannot be written, and the test reads the answer.
     * So the reader starts with the head, before the body, and a write that fails ends the body, not the test.
     */
    public static RawHttpStream sendChunked(String method, URI uri, List<byte[]> pieces, String... headerNamesAndValues) {
        Socket socket;
        OutputStream out;
        try {
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.setTcpNoDelay(true);
            StringBuilder request = requestHead(method, uri, headerNamesAndValues);
            request.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RawHttpStream stream = new RawHttpStream(socket);
        try {
            for (byte[] piece : pieces) {
                out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(piece);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(20);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException closedByTheServer) {
            // It answered early and closed: what it answered is in the stream.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return stream;
    }

    /** The request line, Host, and the given headers; the caller adds its own and the blank line. */
    private static StringBuilder requestHead(String method, URI uri, String... headerNamesAndValues) {
        StringBuilder request = new StringBuilder();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        request.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        for (int i = 0; i + 1 < headerNamesAndValues.length; i += 2) {
            request.append(headerNamesAndValues[i]).append(": ").append(headerNamesAndValues[i + 1]).append("\r\n");
        }
        return request;
    }

    private void readAll() {
        byte[] buffer = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                synchronized (this) {
                    received.write(buffer, 0, n);
                    notifyAll();
                }
            }
        } catch (IOException closedByTest) {
            // close() was called, or the server reset the connection: either way, no more bytes.
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    /** Every byte received so far, exactly as on the wire (head, chunk sizes and all). */
    public synchronized byte[] wire() {
        return received.toByteArray();
    }

    /** The status line and headers, as sent. */
    public String head() {
        await(r -> r.headEnd() >= 0, HEAD_TIMEOUT, "the response head");
        byte[] wire = wire();
        return new String(wire, 0, headEnd(wire), StandardCharsets.ISO_8859_1);
    }

    public int status() {
        String statusLine = head().split("\r\n", 2)[0];
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** A response header's value (first one, name case-insensitive), or null. */
    public String header(String name) {
        return headers().get(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head().split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** The body received so far, de-chunked, decoded as UTF-8. */
    public String body() {
        return new String(decodeBody(wire()).bytes, StandardCharsets.UTF_8);
    }

    /** The body received so far, de-chunked, as bytes. */
    public byte[] bodyBytes() {
        return decodeBody(wire()).bytes;
    }

    /** Waits until the body satisfies {@code condition}; returns the body. */
    public String awaitBody(Predicate<String> condition, Duration timeout) {
        await(r -> condition.test(r.body()), timeout, "a body matching the condition");
        return body();
    }

    public String awaitBodyContaining(String text, Duration timeout) {
        return awaitBody(body -> body.contains(text), timeout);
    }

    /** Waits until the server ends the response (last chunk, or end of a fixed-length body, or close). */
    public String awaitEnd(Duration timeout) {
        await(RawHttpStream::ended, timeout, "the end of the response");
        return body();
    }

    /** True once the response is complete: the terminating chunk, the full Content-Length, or a closed socket. */
    public boolean ended() {
        byte[] wire;
        boolean closed;
        synchronized (this) {
            wire = received.toByteArray();
            closed = eof;
        }
        return closed || (headEnd(wire) >= 0 && decodeBody(wire).complete);
    }

    private synchronized void await(Predicate<RawHttpStream> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || (eof && !condition.test(this))) {
                throw new AssertionError("Timed out or connection closed waiting for " + what + "; received:\n"
                        + new String(received.toByteArray(), StandardCharsets.UTF_8));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private int headEnd() {
        return headEnd(wire());
    }

    private static int headEnd(byte[] wire) {
        for (int i = 0; i + 3 < wire.length; i++) {
            if (wire[i] == '\r' && wire[i + 1] == '\n' && wire[i + 2] == '\r' && wire[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private record Body(byte[] bytes, boolean complete) {
    }

    private static Body decodeBody(byte[] wire) {
        int start = headEnd(wire);
        if (start < 0) {
            return new Body(new byte[0], false);
        }
        String head = new String(wire, 0, start, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        byte[] rest = Arrays.copyOfRange(wire, start, wire.length);
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            return dechunk(rest);
        }
        int lengthAt = head.indexOf("\r\ncontent-length:");
        if (lengthAt >= 0) {
            int lineEnd = head.indexOf("\r\n", lengthAt + 2);
            int length = Integer.parseInt(head.substring(lengthAt + "\r\ncontent-length:".length(), lineEnd).trim());
            return new Body(Arrays.copyOf(rest, Math.min(length, rest.length)), rest.length >= length);
        }
        return new Body(rest, false);
    }

    private static Body dechunk(byte[] rest) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOfCrlf(rest, pos);
            if (lineEnd < 0) {
                return new Body(body.toByteArray(), false);
            }
            String sizeField = new String(rest, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int semicolon = sizeField.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeField.substring(0, semicolon) : sizeField).trim(), 16);
            if (size == 0) {
                return new Body(body.toByteArray(), true);
            }
            int dataStart = lineEnd + 2;
            int available = Math.min(size, rest.length - dataStart);
            body.write(rest, dataStart, Math.max(0, available));
            if (available < size || dataStart + size + 2 > rest.length) {
                return new Body(body.toByteArray(), false);
            }
            pos = dataStart + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing left to do
        }
    }
}
