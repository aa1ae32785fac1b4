package org.acme.sse.abort;

import static io.restassured.RestAssured.given;
import static org.acme.sse.abort.ServerCounts.active;
import static org.acme.sse.abort.ServerCounts.awaitActive;
import static org.acme.sse.abort.ServerCounts.WITHIN_A_SECOND_OR_SO;
import static org.acme.sse.abort.ServerCounts.awaitNoStreams;
import static org.acme.sse.abort.ServerCounts.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Clients that leave, over real sockets: the server's work stops and its count comes back down. */
@QuarkusTest
class AbortWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
        private static final byte[] BODY = "{\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void startFromNoStreams() {
        awaitNoStreams(); // the previous test's clients may still be leaving
    }

    @TestHTTPResource("/sse")
    URI sse;

    @TestHTTPResource("/fetch-sse")
    URI fetchSse;

    private RawHttpStream openEventSourceStream() {
        return RawHttpStream.get(URI.create(sse + "?count=100000&intervalMs=50"), "Accept", "text/event-stream");
    }

    private RawHttpStream openFetchStream() {
        return RawHttpStream.send("POST", URI.create(fetchSse + "?count=100000&intervalMs=50"), BODY,
                "Content-Type", "application/json");
    }

    @Test
    void answersHeadWithTheHeadersAndStartsNoStream() {
        // A HEAD that ran the GET would start a stream nobody reads, holding the connection until its end.
        long startedBefore = counter("started");
        try (RawHttpStream stream = RawHttpStream.send("HEAD", URI.create(sse + "?count=3&intervalMs=60000"), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.awaitEnd(TIMEOUT)).isEmpty();
        }
        try (RawHttpStream stream = RawHttpStream.send("HEAD", sse.resolve("/streams/live"), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.awaitEnd(TIMEOUT)).isEmpty();
        }
        try (RawHttpStream stream = RawHttpStream.send("HEAD", URI.create(sse + "?count=0"), null)) {
            assertThat(stream.status()).isEqualTo(400);
        }
        assertThat(counter("started")).isEqualTo(startedBefore);
    }

    @Test
    void theServerStopsEveryStreamWithinASecondOfItsClientLeaving() {
        long cancelledBefore = counter("cancelled");
        List<RawHttpStream> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(openEventSourceStream());
            clients.add(openFetchStream());
        }
        clients.forEach(client -> client.awaitBodyContaining("event:tick", TIMEOUT));
        assertThat(active()).isEqualTo(40);

        clients.forEach(RawHttpStream::close); // what close(), abort(), a closed tab or curl --max-time do to TCP

        Duration took = awaitActive(0, WITHIN_A_SECOND_OR_SO);
        assertThat(counter("cancelled")).isEqualTo(cancelledBefore + 40);
        System.out.printf("40 streams cancelled %d ms after their clients left%n", took.toMillis());
    }

    @Test
    void aFinishedStreamCountsAsCompletedNotCancelled() {
        long completedBefore = counter("completed");
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=3&intervalMs=10"))) {
            assertThat(stream.awaitEnd(TIMEOUT)).endsWith("event:done\ndata:{\"lastId\":2}\n\n");
        }
        awaitActive(0, WITHIN_A_SECOND_OR_SO);
        assertThat(counter("completed")).isEqualTo(completedBefore + 1);
    }

    @Test
    void refusesAStreamBeyondTheConcurrencyLimitWith503AndRetryAfter() {
        // Tests allow 60 concurrent streams (streams.max-concurrent).
        List<RawHttpStream> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                clients.add(i % 2 == 0 ? openEventSourceStream() : openFetchStream());
            }
            clients.forEach(client -> client.awaitBodyContaining("event:tick", TIMEOUT));

            given().when().get(sse + "?count=10&intervalMs=10")
                    .then().statusCode(503)
                    .header("Retry-After", "5")
                    .contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(503))
                    .body("detail", containsString("too many streams"));
            given().contentType("application/json").body(BODY).when().post(fetchSse)
                    .then().statusCode(503).header("Retry-After", "5");
        } finally {
            clients.forEach(RawHttpStream::close);
        }
        awaitActive(0, WITHIN_A_SECOND_OR_SO);
        try (RawHttpStream again = RawHttpStream.get(URI.create(sse + "?count=1&intervalMs=10"))) {
            assertThat(again.status()).isEqualTo(200);
        }
    }

    @Test
    void tellsProxiesNotToBufferOrCacheTheStream() {
        try (RawHttpStream stream = openEventSourceStream()) {
            assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(stream.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void answers400ForACountOverTheLimit() {
        given().when().get(sse + "?count=100001").then().statusCode(400).body("detail", containsString("count"));
        given().contentType("application/json").body(BODY).when().post(fetchSse + "?count=100001")
                .then().statusCode(400);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "application/json | `{\"content\":` | 400",
            "application/json | `{}`            | 400",
            "application/json | ``              | 400",
            "text/plain       | `hello`         | 415",
    })
    void answersBadBodiesWithAProblemAndNoStream(String contentType, String body, int status) {
        given().contentType(contentType).body(body).when().post(fetchSse)
                .then().statusCode(status).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status));
    }
}
