package org.acme.sse.ssevsws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The "protocol" row, over HTTP/1.1: SSE is an ordinary HTTP response that never ends; a WebSocket starts as a
 * request, is answered 101 Switching Protocols, and from then on the socket carries RFC 6455 frames, not HTTP.
 */
@QuarkusTest
class ProtocolWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;

    @TestHTTPResource("/sse")
    URI sse;

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void sseIsAPlainGetAnswered200WithAnEventStreamBody() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=2&intervalMs=10"))) {
            assertThat(stream.head()).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.header("Upgrade")).isNull();
            // The events are the body of the response: lines of UTF-8 text, in HTTP chunks.
            assertThat(stream.awaitEnd(TIMEOUT)).startsWith("id:0\nevent:tick\nretry:3000\ndata:{\"id\":0,")
                    .endsWith("event:done\ndata:{\"lastId\":1}\n\n");
        }
    }

    @Test
    void theAcceptKeyOfTheTestClientMatchesTheRfc6455Example() {
        // RFC 6455 §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" must be answered with this value.
        assertThat(RawWebSocket.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void webSocketStartsAsAnHttpUpgradeAnswered101SwitchingProtocols() {
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?count=1&intervalMs=10"))) {
            assertThat(socket.request()).startsWith("GET /ws?count=1&intervalMs=10 HTTP/1.1\r\n")
                    .contains("\r\nUpgrade: websocket\r\n", "\r\nSec-WebSocket-Version: 13\r\n");
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
            assertThat(socket.header("Upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(socket.header("Connection")).isEqualToIgnoringCase("upgrade");
            // Proof that the server read this handshake: SHA-1 of our random key and the RFC's GUID.
            assertThat(socket.header("Sec-WebSocket-Accept")).isEqualTo(RawWebSocket.acceptFor(socket.key()));
        }
    }

    @Test
    void afterThe101TheSocketCarriesWebSocketFramesNotHttp() {
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?count=2&intervalMs=10"))) {
            RawWebSocket.Frame first = socket.readFrame(TIMEOUT);
            assertThat(first.fin()).isTrue();
            assertThat(first.opcode()).isEqualTo(TEXT);
            assertThat(first.masked()).as("server-to-client frames are never masked (RFC 6455 §5.1)").isFalse();
            assertThat(first.text()).startsWith("{\"type\":\"tick\",\"id\":0,\"time\":\"");

            assertThat(socket.readFrame(TIMEOUT).text()).startsWith("{\"type\":\"tick\",\"id\":1,");
            assertThat(socket.readFrame(TIMEOUT).text()).isEqualTo("{\"type\":\"done\",\"lastId\":1}");
            // No "end of response" as in HTTP: a close frame, with a status code, ends the conversation.
            RawWebSocket.Frame close = socket.readFrame(TIMEOUT);
            assertThat(close.opcode()).isEqualTo(CLOSE);
            assertThat(close.closeCode()).isEqualTo(1000);
        }
    }
}
