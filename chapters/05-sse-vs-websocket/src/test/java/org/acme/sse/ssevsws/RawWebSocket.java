package org.acme.sse.ssevsws;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * A WebSocket client over a plain socket, for tests that look at the bytes: the HTTP/1.1 upgrade request and its
 * {@code 101} answer as text, then RFC 6455 frames one by one (no fragmentation, no extensions).
 */
final class RawWebSocket implements AutoCloseable {

    /** RFC 6455 §1.3: the GUID appended to the client's key to compute Sec-WebSocket-Accept. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** One frame: FIN bit, opcode (0x1 text, 0x2 binary, 0x8 close), mask bit, payload. */
    record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** For a close frame: the status code in its first two bytes. */
        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        /** For a close frame: the reason after the code. */
        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String key;
    private final String request;
    private final String head;

    private RawWebSocket(URI uri, String origin) throws IOException {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        key = Base64.getEncoder().encodeToString(nonce);
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        head = readHead();
    }

    /** Sends the upgrade request for {@code uri} (an http:// URI) and reads the response head. */
    static RawWebSocket open(URI uri) {
        return open(uri, null);
    }

    /** The same, with an {@code Origin} header, as a browser sends it: the origin of the page that asks. */
    static RawWebSocket open(URI uri, String origin) {
        try {
            return new RawWebSocket(uri, origin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sec-WebSocket-Accept for a key: base64(SHA-1(key + GUID)), RFC 6455 §4.2.2. */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String key() {
        return key;
    }

    String request() {
        return request;
    }

    /** The response head, as sent: status line and headers. */
    String head() {
        return head;
    }

    String statusLine() {
        return head.split("\r\n", 2)[0];
    }

    /** A response header's value (name case-insensitive), or null. */
    String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** For a handshake that was refused: the body of the HTTP response, Content-Length bytes after the head. */
    String body() {
        String length = header("Content-Length");
        if (length == null) {
            return "";
        }
        try {
            return new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next frame; fails after {@code timeout} without one. */
    Frame readFrame(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            int first = readByte();
            int second = readByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            boolean masked = (second & 0x80) != 0;
            byte[] mask = masked ? in.readNBytes(4) : null;
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException("connection closed in the middle of a frame");
            }
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            return new Frame((first & 0x80) != 0, first & 0x0f, masked, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames until one has {@code opcode}; returns it. */
    Frame readFrameWithOpcode(int opcode, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = readFrame(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (frame.opcode() == opcode) {
                return frame;
            }
        }
    }

    /** Sends one text frame, masked as RFC 6455 §5.3 requires of every client-to-server frame. */
    void sendText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("this test client only sends short frames");
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | 0x1); // FIN, text
        frame.write(0x80 | payload.length); // MASK, length
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readHead() throws IOException {
        // Byte by byte up to the blank line: the first frame may follow in the same TCP segment.
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            head.append((char) readByte());
        }
        return head.toString();
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by the server");
        }
        return b;
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
