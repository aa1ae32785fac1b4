package org.acme.sse.ssevsws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.net.URI;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /sse behaves exactly as in chapter 02: retry, named ticks with ids, done, resume, 204, keep-alive, cut. */
@QuarkusTest
class SseEndpointTest {

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
            assertThat(stream.awaitEnd(TIMEOUT)).matches(tick(0, "retry:2500\\n") + tick(1, "") + tick(2, "")
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
    }

    @Test
    void resumesAfterLastEventId() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=8&intervalMs=10"), "Last-Event-ID", "4")) {
            assertThat(stream.awaitEnd(TIMEOUT)).matches(tick(5, "retry:3000\\n") + tick(6, "") + tick(7, "")
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
    void sendsAKeepAliveCommentWhileTheStreamIsIdle() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=2&intervalMs=3000"))) {
            assertThat(stream.awaitBodyContaining(": keep-alive\n\n", TIMEOUT))
                    .matches("(?s)id:0\\n.*\\n\\n: keep-alive\\n\\n.*");
        }
    }

    @Test
    void cutEndsTheRunningStreamsWithoutDone() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=1000&intervalMs=50"))) {
            stream.awaitBodyContaining("id:1\n", TIMEOUT);
            given().when().post(sse + "/cut").then().statusCode(200).body("cut", greaterThanOrEqualTo(1));
            assertThat(stream.awaitEnd(TIMEOUT)).doesNotContain("event:done");
        }
    }
}
