package org.acme.sse.customevents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The bytes of GET /sse: retry, named events with ids, done, resume, 204, and the keep-alive comment. */
@QuarkusTest
class CustomEventsWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String DATA = "data:\\{\"id\":%d,\"time\":\"[^\"]+\",\"params\":\\{[^\\n]*\\}\\}\\n";

    @TestHTTPResource("/sse")
    URI sse;

    private static String tick(int id, String retryLine) {
        return "id:" + id + "\\nevent:tick\\n" + retryLine + String.format(DATA, id) + "\\n";
    }

    @Test
    void sendsRetryFirstThenNamedTicksWithIdsThenDone() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=3&intervalMs=10&retryMs=2500"))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            String body = stream.awaitEnd(TIMEOUT);
            assertThat(body).matches(tick(0, "retry:2500\\n") + tick(1, "") + tick(2, "")
                    + "event:done\\ndata:\\{\"lastId\":2\\}\\n\\n");
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
        try (RawHttpStream stream = RawHttpStream.send("HEAD", URI.create(sse + "?count=3"), null, "Last-Event-ID", "2")) {
            assertThat(stream.status()).isEqualTo(204);
        }
        try (RawHttpStream stream = RawHttpStream.send("HEAD", URI.create(sse + "/answer?intervalMs=60000"), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.awaitEnd(TIMEOUT)).isEmpty();
        }
    }

    @Test
    void resumesAfterLastEventId() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=8&intervalMs=10"), "Last-Event-ID", "4")) {
            String body = stream.awaitEnd(TIMEOUT);
            // Ids 5, 6, 7 and done: nothing sent twice, nothing skipped; the resumed response restates retry.
            assertThat(body).matches(tick(5, "retry:3000\\n") + tick(6, "") + tick(7, "")
                    + "event:done\\ndata:\\{\"lastId\":7\\}\\n\\n");
        }
    }

    @Test
    void answers204WhenTheClientHasTheLastEvent() {
        given().header("Last-Event-ID", "7")
                .when().get(sse + "?count=8&intervalMs=10")
                .then().statusCode(204)
                .body(equalTo(""));
    }

    @Test
    void startsFromZeroWhenLastEventIdIsEmpty() {
        // An empty id is what the spec uses for "no id" (an `id:` line with no value resets it).
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=1&intervalMs=10"), "Last-Event-ID", "")) {
            assertThat(stream.awaitEnd(TIMEOUT)).startsWith("id:0\n");
        }
    }

    @ParameterizedTest(name = "Last-Event-ID: {0}")
    @ValueSource(strings = { "abc", "-1", "+3", "8", "1.5", "0x3", "99999999999", "3;4" })
    void answers400ForALastEventIdThatIsNotAnIdOfTheStream(String lastEventId) {
        given().header("Last-Event-ID", lastEventId)
                .when().get(sse + "?count=8&intervalMs=10")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("detail", containsString("Last-Event-ID"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "retryMs=99", "retryMs=60001", "retryMs=soon", "count=0", "intervalMs=9" })
    void answers400ForAParameterOutOfRange(String query) {
        given().when().get(sse + "?" + query)
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400));
    }

    @Test
    void sendsAKeepAliveCommentWhileTheStreamIsIdle() {
        // Tests configure a 1 s keep-alive; ticks 5 s apart leave the stream idle in between. The comment must
        // come within the keep-alive period after the last write (a margin for a busy machine), not two.
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=2&intervalMs=5000"))) {
            stream.awaitBodyContaining("id:0\n", TIMEOUT);
            long firstTick = System.nanoTime();
            String body = stream.awaitBodyContaining(": keep-alive\n\n", TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - firstTick)).isLessThan(Duration.ofMillis(1900));
            assertThat(body).matches("(?s)id:0\\n.*\\n\\n: keep-alive\\n\\n");
            assertThat(stream.ended()).isFalse();
        }
    }

    @Test
    void sendsNoKeepAliveWhileEventsFlow() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=80&intervalMs=10"))) {
            assertThat(stream.awaitEnd(TIMEOUT)).doesNotContain("keep-alive");
        }
    }

    @Test
    void cutEndsTheRunningStreamsWithoutDone() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=1000&intervalMs=50"))) {
            stream.awaitBodyContaining("id:1\n", TIMEOUT);
            given().when().post(sse + "/cut").then().statusCode(200).body("cut", greaterThanOrEqualTo(1));
            String body = stream.awaitEnd(TIMEOUT);
            assertThat(body).doesNotContain("event:done");
        }
    }
}
