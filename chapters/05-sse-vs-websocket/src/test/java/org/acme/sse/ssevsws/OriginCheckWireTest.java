package org.acme.sse.ssevsws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Origin check on the wire: the handshake of a page from another origin is answered 403 with a problem body
 * and never upgraded; the page's own origin, an origin listed in {@code ticker.websocket.allowed-origins}
 * ({@code http://trusted.example} in the test profile) and a client that sends no Origin get their 101.
 */
@QuarkusTest
class OriginCheckWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void noStreamLeftFromEarlierTests() {
        ServerStreams.awaitNoStreams();
    }

    private String ownOrigin() {
        return "http://" + ws.getHost() + ":" + ws.getPort();
    }

    @Test
    void refusesAHandshakeFromAnotherOriginWith403BeforeTheUpgrade() {
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?count=3&intervalMs=10"), "http://evil.example")) {
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
            assertThat(socket.header("Upgrade")).isNull();
            assertThat(socket.header("Sec-WebSocket-Accept")).isNull();
            assertThat(socket.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(socket.body()).contains("\"status\":403")
                    .contains("a WebSocket from a page of origin http://evil.example is not allowed");
        }
        assertThat(ServerStreams.active()).as("no tick stream was started for it").isZero();
    }

    @Test
    void refusesTheSameHostOnAnotherPort() {
        // An origin is scheme, host and port: another app on the same machine is another origin.
        String otherPort = "http://" + ws.getHost() + ":" + (ws.getPort() == 1 ? 2 : ws.getPort() - 1);
        try (RawWebSocket socket = RawWebSocket.open(ws, otherPort)) {
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void refusesTheOpaqueOriginNull() {
        // What a sandboxed iframe or a file:// page sends: no origin anyone can vouch for.
        try (RawWebSocket socket = RawWebSocket.open(ws, "null")) {
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void acceptsTheHandshakeOfAPageOfTheSameOrigin() {
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?count=1&intervalMs=10"), ownOrigin())) {
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
            assertThat(socket.header("Sec-WebSocket-Accept")).isEqualTo(RawWebSocket.acceptFor(socket.key()));
            assertThat(socket.readFrame(TIMEOUT).text()).startsWith("{\"type\":\"tick\",\"id\":0,");
        }
    }

    @Test
    void acceptsAnOriginListedInTheConfiguration() {
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?count=1&intervalMs=10"), "http://trusted.example")) {
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
        }
    }

    @Test
    void acceptsAClientThatSendsNoOrigin() {
        // Not a browser (browsers always send Origin on a WebSocket handshake): curl, a JDK client, a test.
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?count=1&intervalMs=10"))) {
            assertThat(socket.request()).doesNotContain("Origin:");
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
        }
    }
}
