package org.acme.sse.underload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /sse: a stream per connection, its bytes on the wire, its limits, and what a bad parameter gets. */
@QuarkusTest
class TickStreamTest {

    static final Pattern EVENT = Pattern.compile(
            "id:(\\d+)\ndata:\\{\"id\":(\\d+),\"time\":\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z)\"}\n\n");

    @TestHTTPResource("/sse")
    URI sse;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void sendsCountEventsStampedToTheMillisecondThenDone() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?intervalMs=20&count=5"))) {
            String body = stream.awaitEnd(Duration.ofSeconds(10));
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            Matcher events = EVENT.matcher(body);
            for (int id = 0; id < 5; id++) {
                assertThat(events.find()).as("event %d in %s", id, body).isTrue();
                assertThat(events.group(1)).isEqualTo(Integer.toString(id));
                assertThat(events.group(2)).isEqualTo(Integer.toString(id));
            }
            assertThat(body).endsWith("event:done\ndata:{\"lastId\":4}\n\n");
        }
    }

    @Test
    void acceptsAMillionEventsSoABenchmarkStreamOutlivesItsRun() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?intervalMs=10&count=1000000"))) {
            stream.awaitBodyContaining("id:3\n", Duration.ofSeconds(10));
            assertThat(stream.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @CsvSource({ "count=0, count", "count=10000001, count", "count=ten, count",
            "intervalMs=9, intervalMs", "intervalMs=60001, intervalMs", "intervalMs=-5, intervalMs",
            "intervalMs=1e3, intervalMs" })
    void answers400WithAProblemBodyForAParameterOutOfRange(String query, String parameter) {
        given().when().get("/sse?" + query)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString(parameter));
    }
}
