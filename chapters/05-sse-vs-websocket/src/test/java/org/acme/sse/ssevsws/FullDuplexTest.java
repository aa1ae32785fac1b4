package org.acme.sse.ssevsws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The "communication" row: on the connection that carries the ticks, the client talks back -- pause, resume, a new
 * rate -- and the server answers on it. With SSE, the same would take a second HTTP request per command.
 */
@QuarkusTest
class FullDuplexTest {

    @TestHTTPResource("/ws")
    URI ws;

    private WsClient connect(String query) {
        return WsClient.connect(URI.create(ws + "?" + query));
    }

    /** Reads up to the next message of {@code type}; returns the id of the last tick before it, or {@code lastTick}. */
    private static long lastTickBefore(WsClient client, String type, long lastTick) {
        while (true) {
            JsonNode message = client.next();
            if (type.equals(message.path("type").asText())) {
                return lastTick;
            }
            if ("tick".equals(message.path("type").asText())) {
                lastTick = message.get("id").asLong();
            }
        }
    }

    @Test
    void pauseStopsTheTicksUntilResume() {
        try (WsClient client = connect("count=1000&intervalMs=20")) {
            long firstTick = client.next("tick").get("id").asLong();
            client.send("{\"action\":\"pause\"}");
            long lastTick = lastTickBefore(client, "state", firstTick);

            // 20 ticks' worth of time: nothing at all arrives after the server's answer.
            assertThat(client.poll(Duration.ofMillis(400))).isNull();

            client.send("{\"action\":\"resume\"}");
            JsonNode state = client.next();
            assertThat(state.path("type").asText()).isEqualTo("state");
            assertThat(state.get("paused").asBoolean()).isFalse();
            // The stream goes on where it stopped: no id was used up while paused.
            assertThat(client.next("tick").get("id").asLong()).isEqualTo(lastTick + 1);
        }
    }

    @Test
    void theServerConfirmsEachCommandWithTheNewState() {
        try (WsClient client = connect("count=1000&intervalMs=1000")) {
            client.send("{\"action\":\"pause\"}");
            assertThat(client.next("state").toString()).isEqualTo("{\"type\":\"state\",\"paused\":true,\"intervalMs\":1000}");
            client.send("{\"action\":\"rate\",\"intervalMs\":250}");
            assertThat(client.next("state").toString()).isEqualTo("{\"type\":\"state\",\"paused\":true,\"intervalMs\":250}");
        }
    }

    @Test
    void rateSpeedsTheStreamUpFromTheNextTick() {
        try (WsClient client = connect("count=1000&intervalMs=1000")) {
            client.next("tick"); // the first tick comes at once, the next one in 1000 ms
            long start = System.nanoTime();
            client.send("{\"action\":\"rate\",\"intervalMs\":20}");
            assertThat(client.next("state").get("intervalMs").asInt()).isEqualTo(20);
            for (int i = 0; i < 10; i++) {
                client.next("tick");
            }
            // At 1000 ms these 10 ticks take 10 s; at 20 ms, one pending second and then 9 x 20 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(6000)); // not 10 s: a margin for a busy machine
        }
    }

    @Test
    void rateSlowsTheStreamDownFromTheNextTick() {
        try (WsClient client = connect("count=1000&intervalMs=20")) {
            client.next("tick");
            client.send("{\"action\":\"rate\",\"intervalMs\":1000}");
            client.next("state");
            client.poll(Duration.ofMillis(150)); // the tick whose 20 ms timer was already running, if any
            assertThat(client.poll(Duration.ofMillis(600))).isNull();
        }
    }

    @ParameterizedTest(name = "message: {0}")
    @ValueSource(strings = { "{bad json", "[1,2]", "", "{\"action\":\"jump\"}", "{\"action\":\"rate\"}",
            "{\"action\":\"rate\",\"intervalMs\":5}", "{\"action\":\"rate\",\"intervalMs\":\"fast\"}",
            "{\"action\":\"rate\",\"intervalMs\":20.5}" })
    void answersAMessageItDoesNotUnderstandWithAnErrorAndGoesOn(String message) {
        try (WsClient client = connect("count=1000&intervalMs=20")) {
            long firstTick = client.next("tick").get("id").asLong();
            client.send(message);
            long lastTick = lastTickBefore(client, "error", firstTick);
            // The stream is not disturbed: the next tick is the next id, at the old rate.
            assertThat(client.next("tick").get("id").asLong()).isEqualTo(lastTick + 1);
        }
    }

    @Test
    void theErrorMessageSaysWhatWasExpected() {
        try (WsClient client = connect("count=1000&intervalMs=1000")) {
            client.send("{\"action\":\"jump\"}");
            assertThat(client.next("error").toString())
                    .isEqualTo("{\"type\":\"error\",\"message\":\"unknown action; use pause, resume, rate, binary or drop\"}");
        }
    }

    @Test
    void resumesFromTheIdTheClientAsksFor() {
        try (WsClient client = connect("count=8&intervalMs=10&from=5")) {
            assertThat(client.next().get("id").asLong()).isEqualTo(5);
            assertThat(client.next().get("id").asLong()).isEqualTo(6);
            assertThat(client.next().get("id").asLong()).isEqualTo(7);
            assertThat(client.next().toString()).isEqualTo("{\"type\":\"done\",\"lastId\":7}");
            assertThat(client.awaitClose().code()).isEqualTo(1000);
        }
    }

    @Test
    void aClientThatHasEverythingGetsDoneAndANormalClose() {
        // The WebSocket counterpart of /sse answering 204 to Last-Event-ID = the last id.
        try (WsClient client = connect("count=3&intervalMs=10&from=3")) {
            assertThat(client.next().toString()).isEqualTo("{\"type\":\"done\",\"lastId\":2}");
            assertThat(client.awaitClose().code()).isEqualTo(1000);
        }
    }

    @Test
    void dropMakesTheServerCloseWithGoingAway() {
        try (WsClient client = connect("count=1000&intervalMs=20")) {
            client.next("tick");
            client.send("{\"action\":\"drop\"}");
            assertThat(client.awaitClose()).isEqualTo(new WsClient.Close(1001, "dropped on request"));
        }
    }
}
