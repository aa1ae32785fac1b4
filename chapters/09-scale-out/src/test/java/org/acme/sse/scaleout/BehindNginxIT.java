package org.acme.sse.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chapter's own nginx.conf (round robin, no stickiness, buffering off) in front of two instances and a real
 * Redis: connections land on both, a message posted through nginx reaches them all at once, and a reconnect that
 * lands on the other instance resumes after its Last-Event-ID.
 */
class BehindNginxIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    // An idle feed sends nothing after joined for 15 s (feed.keep-alive), and joined is under 100 bytes: nginx's
    // defaults (buffering on, HTTP/1.0 to the app), for an app without X-Accel-Buffering, hold it far longer.
    private static final Duration UNBUFFERED = Duration.ofSeconds(5);
    private static final Pattern INSTANCE = Pattern.compile("\"instance\":\"([AB])\"");

    static TwoInstances instances;
    static Nginx nginx;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        instances = new TwoInstances(Map.of());
        nginx = Nginx.fromTemplate(Path.of("nginx/nginx.conf"))
                .set("INSTANCE_A", "127.0.0.1:" + instances.a.port())
                .set("INSTANCE_B", "127.0.0.1:" + instances.b.port())
                .freePort("HTTP_PORT")
                .start();
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void subscribersLandOnBothInstancesAndAMessagePostedThroughNginxReachesThemAllAtOnce() {
        List<RawHttpStream> subscribers = new ArrayList<>();
        try {
            Set<String> servedBy = new LinkedHashSet<>();
            for (int i = 0; i < 4; i++) {
                RawHttpStream subscriber = RawHttpStream.get(nginx.uri("HTTP_PORT", "/feed"));
                subscribers.add(subscriber);
                servedBy.add(instanceIn(subscriber.awaitBodyContaining("event: joined", UNBUFFERED)));
            }
            assertThat(servedBy).containsExactlyInAnyOrder("A", "B");

            String id = post("through nginx");

            for (RawHttpStream subscriber : subscribers) {
                String body = subscriber.awaitBodyContaining("\"text\":\"through nginx\"", UNBUFFERED);
                assertThat(TwoInstances.messageIds(body)).containsExactly(id);
            }
        } finally {
            subscribers.forEach(RawHttpStream::close);
        }
    }

    @Test
    void aReconnectThroughNginxThatLandsOnTheOtherInstanceResumesEachMessageOnce() {
        String firstInstance;
        String lastSeen;
        try (RawHttpStream first = RawHttpStream.get(nginx.uri("HTTP_PORT", "/feed"))) {
            firstInstance = instanceIn(first.awaitBodyContaining("event: joined", WAIT));
            lastSeen = post("seen");
            first.awaitBodyContaining("\"text\":\"seen\"", WAIT);
        }
        // while the browser is away, messages come through nginx (to either instance)
        String missed1 = post("missed 1");
        String missed2 = post("missed 2");

        // As EventSource would, with the last id it saw; until round robin sends it to the other instance.
        for (int attempt = 1; ; attempt++) {
            try (RawHttpStream again = RawHttpStream.get(nginx.uri("HTTP_PORT", "/feed"), "Last-Event-ID", lastSeen)) {
                String joined = again.awaitBodyContaining("event: joined", WAIT);
                if (instanceIn(joined).equals(firstInstance)) {
                    assertThat(attempt).as("round robin reaches the other instance").isLessThan(4);
                    continue;
                }
                again.awaitBodyContaining("\"text\":\"missed 2\"", WAIT);
                String live = post("live");
                String body = again.awaitBodyContaining("\"text\":\"live\"", WAIT);
                assertThat(TwoInstances.messageIds(body)).containsExactly(missed1, missed2, live);
                assertThat(body).doesNotContain("event: reset");
                return;
            }
        }
    }

    /** The instance named by the first event (joined) of a feed's body. */
    private static String instanceIn(String body) {
        Matcher matcher = INSTANCE.matcher(body);
        assertThat(matcher.find()).as(body).isTrue();
        return matcher.group(1);
    }

    /** POST /messages through nginx; the entry id it answered with. */
    private static String post(String text) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(nginx.uri("HTTP_PORT", "/messages"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return TwoInstances.idIn(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
