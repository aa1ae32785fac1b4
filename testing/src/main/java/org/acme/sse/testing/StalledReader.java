package org.acme.sse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A GET over a plain socket whose reader stops reading when the test says so, like a client on a stalled
 * network or a frozen tab: the bytes pile up in the kernel's buffers until the server can no longer write.
 *
 * The receive buffer is set before connecting, as {@link Socket#setReceiveBufferSize}'s documentation asks (TCP
 * agrees on the window scale in the handshake). Left unset, Linux grows it up to {@code net.ipv4.tcp_rmem}'s
 * maximum, and a stall would take megabytes to show. The response must be chunked, as an SSE stream is. Unlike
 * {@link RawHttpStream} there is no background reader: bytes are read only inside {@link #readUntil} and
 * {@link #readToEnd}.
 */
public final class StalledReader implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean eof;

    private StalledReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Connects with a receive buffer of {@code receiveBufferBytes} (the kernel may round it) and sends a GET. */
    public static StalledReader get(URI uri, int receiveBufferBytes) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(receiveBufferBytes);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String request = "GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new StalledReader(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the (de-chunked) body contains {@code text}, then stops reading; returns the body so far. */
    public String readUntil(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!body().contains(text)) {
            if (eof || System.nanoTime() > deadline) {
                throw new AssertionError("Timed out or connection closed waiting for " + text + "; received:\n" + wire());
            }
            readSome(deadline);
        }
        return body();
    }

    /** Bytes that arrived while the reader was stopped and wait in the kernel's receive buffer. */
    public int waitingInReceiveBuffer() {
        try {
            return in.available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads again, until the response ends (its last chunk, or the server closes or resets the connection) or
     * {@code timeout} passes; returns the body.
     */
    public String readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof && !endedWithLastChunk() && System.nanoTime() < deadline) {
            readSome(deadline);
        }
        return body();
    }

    /** True when the response ended properly: the terminating zero-size chunk has arrived. */
    public boolean endedWithLastChunk() {
        return wire().endsWith("\r\n0\r\n\r\n");
    }

    /** Everything received so far, as on the wire. */
    public String wire() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** The body received so far, without the head and the chunk framing. */
    public String body() {
        String wire = wire();
        int start = wire.indexOf("\r\n\r\n");
        if (start < 0) {
            return "";
        }
        StringBuilder body = new StringBuilder();
        int pos = start + 4;
        while (true) {
            int lineEnd = wire.indexOf("\r\n", pos);
            if (lineEnd < 0) {
                return body.toString();
            }
            int size = Integer.parseInt(wire.substring(pos, lineEnd).split(";")[0].trim(), 16);
            // Sizes count bytes; the events here are ASCII, so a byte is a char.
            int dataEnd = Math.min(lineEnd + 2 + size, wire.length());
            body.append(wire, lineEnd + 2, dataEnd);
            if (size == 0 || dataEnd + 2 > wire.length()) {
                return body.toString();
            }
            pos = dataEnd + 2;
        }
    }

    private void readSome(long deadline) {
        byte[] buffer = new byte[8192];
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(500, (deadline - System.nanoTime()) / 1_000_000)));
            int n = in.read(buffer);
            if (n < 0) {
                eof = true;
            } else {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException nothingYet) {
            // no bytes within the slice: the caller checks its deadline
        } catch (IOException resetByServer) {
            eof = true;
        }
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
