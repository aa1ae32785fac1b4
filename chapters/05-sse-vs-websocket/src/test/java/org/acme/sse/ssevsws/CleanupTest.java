package org.acme.sse.ssevsws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The server's side of "who stops the stream": whichever way a client leaves, its tick stream -- and the timer
 * behind it -- ends within moments. GET /streams counts the streams running, as in chapter 04.
 */
@QuarkusTest
class CleanupTest {

    @TestHTTPResource("/ws")
    URI ws;

    @TestHTTPResource("/sse")
    URI sse;

    @BeforeEach
    void noStreamLeftFromEarlierTests() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void closingTheWebSocketStopsItsTickStream() {
        try (WsClient client = WsClient.connect(URI.create(ws + "?count=1000&intervalMs=20"))) {
            client.next("tick");
            assertThat(ServerStreams.active()).isEqualTo(1);
            client.sendClose();
            ServerStreams.awaitActive(0, ServerStreams.WITHIN_A_SECOND_OR_SO);
        }
    }

    @Test
    void aPausedStreamStopsWhenItsClientVanishes() {
        // The case that a stream stopped by a failed send would miss: paused, it sends nothing, ever.
        try (WsClient client = WsClient.connect(URI.create(ws + "?count=1000&intervalMs=20"))) {
            client.send("{\"action\":\"pause\"}");
            client.next("state");
            assertThat(ServerStreams.active()).isEqualTo(1);
            client.abort(); // no close frame: the TCP connection just goes away
            ServerStreams.awaitActive(0, ServerStreams.WITHIN_A_SECOND_OR_SO);
        }
    }

    @Test
    void aStreamThatEndsByItselfIsNotCountedAnyMore() {
        try (WsClient client = WsClient.connect(URI.create(ws + "?count=3&intervalMs=10"))) {
            client.next("done");
            assertThat(client.awaitClose().code()).isEqualTo(1000);
            ServerStreams.awaitActive(0, ServerStreams.WITHIN_A_SECOND_OR_SO);
        }
    }

    @Test
    void leavingTheSseStreamStopsItToo() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=1000&intervalMs=20"))) {
            stream.awaitBodyContaining("id:1\n", Duration.ofSeconds(10));
            assertThat(ServerStreams.active()).isEqualTo(1);
        }
        ServerStreams.awaitActive(0, ServerStreams.WITHIN_A_SECOND_OR_SO);
        // Nor does it listen for the page's cut button any more: there is no stream left to cut.
        given().when().post(sse + "/cut").then().statusCode(200).body("cut", equalTo(0));
    }
}
