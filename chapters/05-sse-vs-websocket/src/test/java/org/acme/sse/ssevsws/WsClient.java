package org.acme.sse.ssevsws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JDK's WebSocket client ({@code HttpClient.newWebSocketBuilder()}) with a queue of what the server sent:
 * text messages parsed as JSON, and the close code and reason.
 */
final class WsClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Close(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(parse(text.toString()));
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Close(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(uri, listener).join();
    }

    /** Connects to {@code http://host:port/ws?...}, given as the http URI the tests inject. */
    static WsClient connect(URI http) {
        return new WsClient(URI.create(http.toString().replaceFirst("^http", "ws")));
    }

    /** The next message, or an AssertionError after {@code timeout}. */
    JsonNode next(Duration timeout) {
        JsonNode message = poll(timeout);
        if (message == null) {
            throw new AssertionError("no message within " + timeout);
        }
        return message;
    }

    JsonNode next() {
        return next(TIMEOUT);
    }

    /** The next message of this type, skipping others. */
    JsonNode next(String type) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonNode message = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (type.equals(message.path("type").asText())) {
                return message;
            }
        }
    }

    /** The next message, or null if none arrives within {@code window}. */
    JsonNode poll(Duration window) {
        try {
            return messages.poll(window.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** How the server closed the connection; fails after the timeout. */
    Close awaitClose() {
        return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** A clean close from our side: a close frame with 1000. */
    void sendClose() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    /** The client vanishes: the TCP connection is dropped without a close frame. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the server sent a text message that is not JSON: " + text, e);
        }
    }
}
