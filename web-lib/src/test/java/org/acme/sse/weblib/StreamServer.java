package org.acme.sse.weblib;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's own HTTP server, enough for the browser: the parser at {@code /lib/sse-parser.js} (read from the
 * classpath, where the jar puts it), an empty page to run it in, and {@code /stream?bytes=...}, which answers
 * exactly the bytes the test chose (base64url in the query, so a BOM, a CR or a NULL arrives untouched) and ends.
 * The fetch client is served at {@code /lib/fetch-event-stream.js}; a test adds its own answers with
 * {@link #handle}.
 */
final class StreamServer implements AutoCloseable {

    static final String PARSER = "META-INF/resources/lib/sse-parser.js";
    static final String FETCH_CLIENT = "META-INF/resources/lib/fetch-event-stream.js";

    private final HttpServer server;

    StreamServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/lib/sse-parser.js", exchange -> send(exchange, "text/javascript", resource(PARSER)));
        server.createContext("/lib/fetch-event-stream.js",
                exchange -> send(exchange, "text/javascript", resource(FETCH_CLIENT)));
        server.createContext("/test.html", exchange -> send(exchange, "text/html; charset=utf-8",
                "<!doctype html><meta charset=\"utf-8\"><title>sse-parser.js</title>".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/stream", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = Base64.getUrlDecoder().decode(query.substring("bytes=".length()));
            send(exchange, "text/event-stream", body);
        });
        server.start();
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The query that makes {@code /stream} answer these characters, encoded as UTF-8 and nothing else. */
    static String streamQuery(String stream) {
        return "bytes=" + Base64.getUrlEncoder().withoutPadding().encodeToString(stream.getBytes(StandardCharsets.UTF_8));
    }

    /** Serves {@code path} (and everything under it) with {@code handler}, for a test's own answers. */
    void handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = StreamServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the classpath");
            }
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        // A fixed Content-Length: the body goes out as these bytes, then the response is over.
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
