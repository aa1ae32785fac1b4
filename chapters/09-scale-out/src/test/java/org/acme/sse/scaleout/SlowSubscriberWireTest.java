package org.acme.sse.scaleout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import org.acme.sse.testing.RawHttpStream;
import org.acme.sse.testing.StalledClientScenario;
import org.acme.sse.testing.StalledReader;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The slow-subscriber bound on the wire: one client opens the feed and stops reading, another reads, and a
 * thousand messages of about 1 KB are posted. The healthy one gets them all while the stalled one is still stuck;
 * the stalled one's stream is ended by the server after feed.subscriber-buffer entries waited for it, and a
 * reconnect with the last id it got brings the rest, each once. Over loopback the kernel's buffers would swallow
 * the whole megabyte, so the server's send buffer is pinned to 16 KB and the stalled client's receive buffer to
 * 4 KB (why: {@link StalledClientScenario}).
 */
@QuarkusTest
@TestProfile(SlowSubscriberWireTest.SmallSendBuffer.class)
@WithTestResource(RedisTestResource.class)
class SlowSubscriberWireTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 1000;
    private static final String PADDING = "x".repeat(990);

    @TestHTTPResource("/feed")
    URL feed;

    @TestHTTPResource("/messages")
    URL messages;

    @Test
    void aSubscriberThatStopsReadingIsEndedAndResumesWhileTheOthersGetEverything() throws Exception {
        await().atMost(WAIT).until(() -> localSubscribers() == 0); // a known quiet state
        URI feedUri = URI.create(feed.toString());
        try (RawHttpStream healthy = RawHttpStream.get(feedUri);
                StalledReader stalled = StalledReader.get(feedUri, 4096)) {
            healthy.awaitBodyContaining("event: joined", WAIT);
            stalled.readUntil("event: joined", WAIT); // ...and from here on it reads nothing
            assertThat(localSubscribers()).isEqualTo(2);

            List<String> posted = postMessages();

            // The reader never waits for the stalled one: the healthy subscriber gets every message, in order.
            String last = posted.get(posted.size() - 1);
            String healthyBody = healthy.awaitBodyContaining("\"id\":\"" + last + "\"", WAIT);
            assertThat(TwoInstances.messageIds(healthyBody)).containsExactlyElementsOf(posted);
            // The stalled one has left the fan-out, ended by the server while it still reads nothing.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> localSubscribers() == 1);
            assertThat(healthy.ended()).isFalse();

            // When it reads again, it finds what the kernel held, then the response's end: the last chunk.
            String stalledBody = stalled.readToEnd(WAIT);
            assertThat(stalled.endedWithLastChunk()).as("the response ends with its last chunk").isTrue();
            List<String> received = TwoInstances.messageIds(stalledBody);
            assertThat(received).as("it got some, not all").isNotEmpty().hasSizeLessThan(MESSAGES);
            assertThat(received).isEqualTo(posted.subList(0, received.size()));
            System.out.printf("[measured] the stalled subscriber got %d of %d messages before its stream ended%n",
                    received.size(), MESSAGES);

            // As EventSource would: reconnect with the last id received, and get the rest, each once.
            String lastReceived = received.get(received.size() - 1);
            try (RawHttpStream resumed = RawHttpStream.get(feedUri, "Last-Event-ID", lastReceived)) {
                String resumedBody = resumed.awaitBodyContaining("\"id\":\"" + last + "\"", WAIT);
                assertThat(resumedBody).doesNotContain("event: reset");
                assertThat(TwoInstances.messageIds(resumedBody)).containsExactlyElementsOf(posted.subList(received.size(), MESSAGES));
            }
        }
    }

    @Test
    void aSubscriberThatPausesForLessThanItsBufferGetsEverythingOnceItReadsAgain() throws Exception {
        await().atMost(WAIT).until(() -> localSubscribers() == 0);
        URI feedUri = URI.create(feed.toString());
        try (StalledReader paused = StalledReader.get(feedUri, 4096)) {
            paused.readUntil("event: joined", WAIT); // ...and from here on it reads nothing, for a while

            // About 150 KB: the socket buffers (16 KB + 4 KB) and the write queue (16 KiB) take the first few dozen;
            // the rest wait in the subscriber's own queue, far fewer than the 256 that would end its stream.
            List<String> posted = postMessages(150);

            // Reading again drains the write queue, and the drain handler writes what waited, in order, each once.
            String body = paused.readUntil("\"id\":\"" + posted.get(posted.size() - 1) + "\"", WAIT);
            assertThat(TwoInstances.messageIds(body)).containsExactlyElementsOf(posted);
            assertThat(paused.endedWithLastChunk()).as("its stream goes on").isFalse();
            assertThat(localSubscribers()).isEqualTo(1);
        }
    }

    /** POSTs the messages one after the other over one kept-alive connection; the ids, in the order posted. */
    private List<String> postMessages() throws IOException, InterruptedException {
        return postMessages(MESSAGES);
    }

    private List<String> postMessages(int count) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(messages.toString()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + i + " " + PADDING + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ids.add(TwoInstances.idIn(response.body()));
        }
        return ids;
    }

    private int localSubscribers() {
        return given().when().get("/subscribers").then().statusCode(200).extract().path("local");
    }

    /** Enables {@link SendBuffer16K} for this test class only. */
    public static class SmallSendBuffer implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SendBuffer16K.class);
        }
    }

    /** SO_SNDBUF on every accepted connection; setting it also stops Linux from growing the buffer. */
    @Alternative
    @Singleton
    public static class SendBuffer16K implements HttpServerOptionsCustomizer {
        @Override
        public void customizeHttpServer(HttpServerOptions options) {
            options.setSendBufferSize(16 * 1024);
        }
    }
}
