package org.acme.sse.eventsource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** What the server really sends: the bytes of GET /sse, read over a plain socket. */
@QuarkusTest
class TickWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    // One event: a single data: line (no space after the colon), then a blank line.
    private static final Pattern EVENT = Pattern.compile("data:(\\{[^\\n]*\\})\\n\\n");

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void answersWithAnEventStreamAndItsHeadersAtOnce() {
        // A long interval: the first tick is sent at once, the second only in a minute. The head and the first
        // event must arrive now, not when the stream ends.
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=2&intervalMs=60000"))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            stream.awaitBodyContaining("\n\n", TIMEOUT);
            assertThat(stream.ended()).isFalse();
        }
    }

    @Test
    void answersHeadWithTheHeadersAndNoStreamThatHoldsTheConnection() {
        // Three ticks a minute apart: a HEAD that ran the stream would end only after two minutes.
        try (RawHttpStream stream = RawHttpStream.send("HEAD", URI.create(sse + "?count=3&intervalMs=60000"), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.awaitEnd(TIMEOUT)).isEmpty();
        }
        try (RawHttpStream stream = RawHttpStream.send("HEAD", URI.create(sse + "?count=0"), null)) {
            assertThat(stream.status()).isEqualTo(400);
        }
    }

    @Test
    void sendsCountEventsAsDataLinesSeparatedByBlankLinesThenEnds() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=3&intervalMs=10"))) {
            String body = stream.awaitEnd(TIMEOUT);
            // The whole body, byte for byte, is three events and nothing else.
            assertThat(body).matches("(data:\\{\"id\":\\d+,\"time\":\"[^\"]+\",\"params\":\\{[^\\n]*\\}\\}\\n\\n){3}");
        }
    }

    @Test
    void eachEventCarriesItsIdTheTimeAndTheQueryParameters() throws Exception {
        Instant before = Instant.now();
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=3&intervalMs=10&content=xxx&tag=a&tag=b"))) {
            List<JsonNode> events = dataOf(stream.awaitEnd(TIMEOUT));
            assertThat(events).hasSize(3);
            for (int i = 0; i < events.size(); i++) {
                JsonNode event = events.get(i);
                assertThat(event.get("id").asLong()).isEqualTo(i);
                assertThat(Instant.parse(event.get("time").asText())).isBetween(before, Instant.now());
                assertThat(event.get("params")).isEqualTo(new ObjectMapper()
                        .readTree("{\"count\":\"3\",\"intervalMs\":\"10\",\"content\":\"xxx\",\"tag\":[\"a\",\"b\"]}"));
            }
        }
    }

    @Test
    void usesTheDefaultsWhenNoParametersAreGiven() throws Exception {
        // Defaults: count 10, one event per second. The first event is sent at once.
        try (RawHttpStream stream = RawHttpStream.get(sse)) {
            List<JsonNode> events = dataOf(stream.awaitBodyContaining("\n\n", TIMEOUT));
            assertThat(events.get(0).get("id").asLong()).isZero();
            assertThat(events.get(0).get("params").size()).isZero();
        }
    }

    @Test
    void sendsEveryIdAtTheShortestInterval() throws Exception {
        // A reader that keeps up gets every id, in order. A reader that stops for a while: StalledClientWireTest.
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=300&intervalMs=10"))) {
            List<JsonNode> events = dataOf(stream.awaitEnd(Duration.ofSeconds(20)));
            assertThat(events).extracting(e -> e.get("id").asLong())
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 300).boxed().toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "count=0            | count must be between 1 and 1000",
            "count=1001         | count must be between 1 and 1000",
            "count=-5           | count must be between 1 and 1000",
            "count=ten          | count must be a whole number",
            "count=1.5          | count must be a whole number",
            "count=             | count must be a whole number",
            "count=99999999999  | count must be a whole number between 1 and 1000",
            "count=１０           | count must be a whole number",
            "intervalMs=9       | intervalMs must be between 10 and 60000",
            "intervalMs=60001   | intervalMs must be between 10 and 60000",
            "intervalMs=1e3     | intervalMs must be a whole number",
    })
    void answers400WithAProblemBodyForABadParameter(String query, String detail) {
        given().when().get(sse + "?" + query)
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("detail", containsString(detail));
    }

    private static List<JsonNode> dataOf(String body) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Matcher matcher = EVENT.matcher(body);
        List<JsonNode> events = new java.util.ArrayList<>();
        while (matcher.find()) {
            events.add(json.readTree(matcher.group(1)));
        }
        return events;
    }
}
