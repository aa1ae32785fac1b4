package org.acme.sse.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.PackagedApp;
import org.acme.sse.testing.RawHttpStream;
import org.acme.sse.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

/**
 * Redis restarted (append-only file on, fsync always) while two instances stream and take posts: the readers
 * reconnect on their own, the subscribers stay connected, and every message a POST acknowledged arrives once. A
 * browser that joins while Redis is down gets a 503 it can read, not a stream that hangs, and the page opens a new
 * EventSource once Redis is back.
 */
class RedisRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    // Redis starts in about a second; the page tries again after 1, 2, 4... s.
    private static final LocatorAssertions.ContainsTextOptions SHOWS =
            new LocatorAssertions.ContainsTextOptions().setTimeout(WAIT.toMillis());
    private static final LocatorAssertions.HasTextOptions SHOWS_EXACTLY =
            new LocatorAssertions.HasTextOptions().setTimeout(WAIT.toMillis());

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    static TwoInstances instances;

    @BeforeAll
    static void start() {
        instances = new TwoInstances(RedisServer.withAppendOnly(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void instancesReconnectAndNoAcknowledgedMessageIsLost() throws InterruptedException {
        try (RawHttpStream onA = RawHttpStream.get(instances.feed(instances.a));
                RawHttpStream onB = RawHttpStream.get(instances.feed(instances.b))) {
            onA.awaitBodyContaining("event: joined", WAIT);
            onB.awaitBodyContaining("event: joined", WAIT);

            List<String> acknowledged = new ArrayList<>();
            acknowledged.addAll(postSome("before", 5));
            instances.redis.restart();
            acknowledged.addAll(postSome("after", 5)); // the first may meet a dead connection: 503, then retried

            String last = acknowledged.get(acknowledged.size() - 1);
            String onABody = onA.awaitBodyContaining("\"id\":\"" + last + "\"", WAIT);
            String onBBody = onB.awaitBodyContaining("\"id\":\"" + last + "\"", WAIT);
            assertThat(TwoInstances.messageIds(onABody)).containsExactlyElementsOf(acknowledged);
            assertThat(TwoInstances.messageIds(onBBody)).containsExactlyElementsOf(acknowledged);
            assertThat(onA.ended()).isFalse();
            assertThat(onB.ended()).isFalse();
        }
    }

    @Test
    void aBrowserThatJoinsWhileRedisIsDownGets503WithAProblemBodyNotAHungStream() throws Exception {
        instances.redis.stop();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(instances.feed(instances.a)).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.body()).contains("\"status\":503").contains("not reachable");
        } finally {
            instances.redis.startAgain();
        }
        // ...and once Redis is back, the next join gets its stream.
        try (RawHttpStream again = RawHttpStream.get(instances.feed(instances.a))) {
            again.awaitBodyContaining("event: joined", WAIT);
        }
    }

    @Test
    void thePageOpensANewEventSourceOnceRedisIsBack() {
        instances.redis.stop();
        Page page = chromium.newPage();
        try {
            page.navigate(instances.a.uri("/").toString());
            // The 503 closed its EventSource for good (HTML Standard): the page itself must open another.
            PlaywrightAssertions.assertThat(page.locator("#state")).containsText("closed", SHOWS);
        } finally {
            instances.redis.startAgain();
        }
        PlaywrightAssertions.assertThat(page.locator("#state")).hasText("open", SHOWS_EXACTLY);
        PlaywrightAssertions.assertThat(page.locator("#instance")).hasText("A", SHOWS_EXACTLY);
        instances.post(instances.a, "Redis is back");
        PlaywrightAssertions.assertThat(page.locator("#messages li .text")).hasText("Redis is back", SHOWS_EXACTLY);
    }

    /** Posts n messages to A and B in turn; a 503 (Redis not reachable) is retried, as a client would. */
    private List<String> postSome(String prefix, int n) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PackagedApp to = i % 2 == 0 ? instances.a : instances.b;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                HttpResponse<String> response = instances.tryPost(to, prefix + i);
                if (response.statusCode() == 200) {
                    ids.add(TwoInstances.idIn(response.body()));
                    break;
                }
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(System.nanoTime()).as("Redis back within " + WAIT).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        return ids;
    }

}
