package org.acme.sse.scaleout.chat;

import static org.acme.sse.scaleout.chat.ChatAcrossInstancesIT.activity;
import static org.acme.sse.scaleout.chat.ChatAcrossInstancesIT.post;
import static org.acme.sse.scaleout.chat.ChatAcrossInstancesIT.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.scaleout.TwoInstances;
import org.acme.sse.testing.PackagedApp;
import org.acme.sse.testing.RawHttpStream;
import org.acme.sse.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis restarted (append-only file on), then Stop sent to B while A writes an answer: A must still hear
 * {@code chat:stop}. A pub/sub subscription lives on a connection of its own, which the restart closes; were it not
 * made again, A would notice the stop only when its next token is refused, 8 s later here.
 */
class StopAfterRedisRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ANSWER_ID = Pattern.compile("\"answerId\":\"([0-9a-f-]{36})\"");

    static TwoInstances instances;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startInstances() {
        instances = new TwoInstances(RedisServer.withAppendOnly(), Map.of("chat.generator.token-interval", "8s"));
    }

    @AfterAll
    static void stopInstances() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void afterARedisRestartStopSentToBStillStopsTheGenerationOnAWithinAboutASecond() {
        instances.redis.restart();
        // A first request may meet a connection to the old process: it fails, and is tried again, as a client would.
        String answerId = await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> tryStart(instances.a, "after a restart"), id -> id != null);

        try (RawHttpStream onA = RawHttpStream.get(stream(instances.a, answerId))) {
            onA.awaitBody(body -> AnswerEvents.parse(body).chunkIds().size() >= 1, WAIT);
            assertThat(activity(instances.a, "generating")).isEqualTo(1);

            assertThat(post(instances.b.uri("/chat/" + answerId + "/stop"), null)).contains("\"state\":\"stopped\"");

            await().atMost(Duration.ofMillis(3000)).pollInterval(Duration.ofMillis(50))
                    .until(() -> activity(instances.a, "generating") == 0);
            AnswerEvents events = AnswerEvents.parse(onA.awaitEnd(WAIT));
            assertThat(events.lastType()).isEqualTo("stopped");
            assertThat(events.ofType("stopped").get(0).data()).contains("\"by\":\"B\"");
        }
    }

    /** POST /chat; the answer id, or null if the instance could not start it (Redis not reachable yet). */
    private static String tryStart(PackagedApp instance, String prompt) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(instance.uri("/chat"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            return null;
        }
        Matcher matcher = ANSWER_ID.matcher(response.body());
        assertThat(matcher.find()).as(response.body()).isTrue();
        return matcher.group(1);
    }
}
