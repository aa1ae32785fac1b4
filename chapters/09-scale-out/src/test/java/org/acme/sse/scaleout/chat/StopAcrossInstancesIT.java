package org.acme.sse.scaleout.chat;

import static org.acme.sse.scaleout.chat.ChatAcrossInstancesIT.activity;
import static org.acme.sse.scaleout.chat.ChatAcrossInstancesIT.post;
import static org.acme.sse.scaleout.chat.ChatAcrossInstancesIT.start;
import static org.acme.sse.scaleout.chat.ChatAcrossInstancesIT.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.acme.sse.scaleout.TwoInstances;
import org.acme.sse.testing.PackagedApp;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stop sent to B, while A writes the answer. A token every 4 s: were A to notice the stop only when its next token
 * is refused by Redis, it would take up to 4 s; it hears {@code chat:stop} at once. And an instance that shuts down
 * leaves no answer that never ends.
 */
class StopAcrossInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static TwoInstances instances;

    @BeforeAll
    static void startInstances() {
        instances = new TwoInstances(Map.of("chat.generator.token-interval", "4s"));
    }

    @AfterAll
    static void stopInstances() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void stopSentToBStopsTheGenerationOnAWithinAboutASecondAndThePartialAnswerStays() {
        String answerId = start(instances.a, "stop from B");
        try (RawHttpStream onA = RawHttpStream.get(stream(instances.a, answerId))) {
            onA.awaitBody(body -> AnswerEvents.parse(body).chunkIds().size() >= 1, WAIT);
            assertThat(activity(instances.a, "generating")).isEqualTo(1);

            assertThat(post(instances.b.uri("/chat/" + answerId + "/stop"), null)).contains("\"state\":\"stopped\"");

            await().atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(50))
                    .until(() -> activity(instances.a, "generating") == 0);
            AnswerEvents events = AnswerEvents.parse(onA.awaitEnd(WAIT));
            assertThat(events.lastType()).isEqualTo("stopped");
            assertThat(events.ofType("stopped").get(0).data()).contains("\"by\":\"B\"");
            List<String> tokens = OfflineAnswerGenerator.tokens("stop from B");
            int kept = events.chunkIds().size();
            assertThat(kept).isBetween(1, tokens.size() - 1);
            assertThat(events.text()).isEqualTo(String.join("", tokens.subList(0, kept)));
        }
        // replayed on B later, the partial answer is there, marked stopped, and nothing came after the stop
        try (RawHttpStream onB = RawHttpStream.get(stream(instances.b, answerId))) {
            AnswerEvents replay = AnswerEvents.parse(onB.awaitEnd(WAIT));
            assertThat(replay.lastType()).isEqualTo("stopped");
            assertThat(replay.ofType("stopped")).hasSize(1);
        }
    }

    @Test
    void anInstanceThatShutsDownMarksTheAnswersItWasWritingAsStopped() {
        String answerId;
        try (PackagedApp c = PackagedApp.start("C", null, "/subscribers", Map.of("quarkus.redis.hosts",
                instances.redis.uri(), "feed.instance-name", "C", "chat.generator.token-interval", "4s"))) {
            answerId = start(c, "C goes away");
        } // SIGTERM, as a rolling update would send
        try (RawHttpStream onB = RawHttpStream.get(stream(instances.b, answerId))) {
            AnswerEvents events = AnswerEvents.parse(onB.awaitEnd(WAIT));
            assertThat(events.lastType()).isEqualTo("stopped");
            assertThat(events.ofType("stopped").get(0).data()).contains("\"by\":\"C\"").contains("shut down");
        }
    }
}
