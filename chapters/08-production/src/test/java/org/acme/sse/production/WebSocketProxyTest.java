package org.acme.sse.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.acme.sse.testing.Nginx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The WebSocket through nginx: the Upgrade and Connection headers must be passed on explicitly, and
 * proxy_read_timeout applies to the upgraded connection too. The test profile pings every 500 ms.
 */
@QuarkusTest
class WebSocketProxyTest {

    static final String UPGRADE_HEADERS = """
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
            """;

    @TestHTTPResource("/")
    URL quarkus;

    @Test
    void theWebSocketUpgradesThroughNginx() throws Exception {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            Session session = connect(nginx, "/ws?count=3&intervalMs=50");
            assertThat(session.closed.get(30, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            assertThat(session.messages).hasSize(4).last().asString().contains("\"type\":\"done\"");
        }
    }

    @Test
    void withoutTheUpgradeHeadersTheHandshakeFails() {
        // proxy_pass sends neither Upgrade (a hop-by-hop header) nor "Connection: upgrade" unless told to.
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(UPGRADE_HEADERS, "").start()) {
            assertThatThrownBy(() -> connect(nginx, "/ws?count=3&intervalMs=50"))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> System.out.println("[measured] handshake without Upgrade headers: HTTP "
                            + ((WebSocketHandshakeException) e).getResponse().statusCode()));
        }
    }

    @Test
    void serverPingsKeepASilentSocketOpenPastTheReadTimeout() throws Exception {
        try (Nginx nginx = ChapterNginx.shipped(quarkus)
                .replace(ProxyTimeoutTest.SHIPPED_TIMEOUT, "proxy_read_timeout 2s;").start()) {
            Session session = connect(nginx, "/ws?count=2&intervalMs=5000");
            assertThat(session.closed.get(30, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            assertThat(session.messages).hasSize(3).last().asString().contains("\"type\":\"done\"");
        }
    }

    @Test
    void aReadTimeoutShorterThanThePingIntervalCutsTheSocket() throws Exception {
        try (Nginx nginx = ChapterNginx.shipped(quarkus)
                .replace(ProxyTimeoutTest.SHIPPED_TIMEOUT, "proxy_read_timeout 200ms;").start()) {
            Session session = connect(nginx, "/ws?count=2&intervalMs=5000");
            // No close frame comes: nginx closes the TCP connection, which the client reports as 1006 (RFC 6455
            // §7.1.5: "closed abnormally") or as an error.
            assertThat(session.closed.handle((code, error) -> error != null ? "error: " + error
                    : "closed with " + code).get(30, TimeUnit.SECONDS)).matches("closed with 1006|error: .*");
            assertThat(session.messages).noneMatch(message -> message.contains("\"type\":\"done\""));
            // The same socket with a 2 s timeout lives on (above); here nginx logs the upgraded request as it ends.
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertThat(nginx.read("access.log")).contains("\"GET /ws HTTP/1.1\" 101"));
        }
    }

    record Session(WebSocket socket, List<String> messages, CompletableFuture<Integer> closed) {
    }

    private static Session connect(Nginx nginx, String pathAndQuery) throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        URI uri = URI.create("ws://127.0.0.1:" + nginx.port(ChapterNginx.HTTP) + pathAndQuery);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, listener).get(30, TimeUnit.SECONDS);
        return new Session(socket, messages, closed);
    }
}
