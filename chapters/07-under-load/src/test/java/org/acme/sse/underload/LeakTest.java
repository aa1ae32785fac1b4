package org.acme.sse.underload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that leaves stops the server's work within about a second: the stream's timer is cancelled, the feed
 * forgets the subscriber. GET /streams counts what is open; the count drops in the same callback that cancels.
 */
@QuarkusTest
class LeakTest {

    @TestHTTPResource("/sse")
    URI sse;

    @TestHTTPResource("/broadcast")
    URI broadcast;

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void aClientThatLeavesAPerConnectionStreamStopsItsTimer() {
        RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?intervalMs=50&count=1000000"));
        stream.awaitBodyContaining("id:1\n", Duration.ofSeconds(10));
        assertThat(ServerStreams.open("sse")).isEqualTo(1);
        stream.close();
        ServerStreams.awaitOpen("sse", 0, ServerStreams.WITHIN_A_SECOND_OR_SO);
    }

    @Test
    void aClientThatLeavesTheBroadcastIsForgottenByTheFeed() {
        RawHttpStream stream = RawHttpStream.get(broadcast);
        stream.awaitBodyContaining("\"time\"", Duration.ofSeconds(10));
        assertThat(ServerStreams.open("broadcast")).isEqualTo(1);
        stream.close();
        ServerStreams.awaitOpen("broadcast", 0, ServerStreams.WITHIN_A_SECOND_OR_SO);
    }

    @Test
    void aWebSocketThatLeavesIsForgottenByTheFeed() throws Exception {
        CompletableFuture<CharSequence> first = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(ws.toString().replaceFirst("^http", "ws")), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        first.complete(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(first.get(10, TimeUnit.SECONDS).toString()).contains("\"time\":\"");
        assertThat(ServerStreams.open("ws")).isEqualTo(1);
        socket.abort(); // no close frame: the connection just goes away
        ServerStreams.awaitOpen("ws", 0, ServerStreams.WITHIN_A_SECOND_OR_SO);
    }
}
