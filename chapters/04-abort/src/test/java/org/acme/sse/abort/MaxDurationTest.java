package org.acme.sse.abort;

import static org.acme.sse.abort.ServerCounts.awaitActive;
import static org.acme.sse.abort.ServerCounts.WITHIN_A_SECOND_OR_SO;
import static org.acme.sse.abort.ServerCounts.awaitNoStreams;
import static org.acme.sse.abort.ServerCounts.counter;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** streams.max-duration: a stream that would run longer ends cleanly, and counts as completed. */
@QuarkusTest
@TestProfile(MaxDurationTest.TwoSecondStreams.class)
class MaxDurationTest {

    public static class TwoSecondStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streams.max-duration", "2s");
        }
    }

    @BeforeEach
    void startFromNoStreams() {
        awaitNoStreams(); // the previous test's clients may still be leaving
    }

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void endsAStreamCleanlyAtTheMaximumDuration() {
        long completedBefore = counter("completed");
        long start = System.nanoTime();
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=100000&intervalMs=20"))) {
            String body = stream.awaitEnd(Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(8000)); // 2 s, not 2000 s
            // A whole last event, then the end of the response: no half event, and no done.
            assertThat(body).endsWith("}\n\n").doesNotContain("event:done");
        }
        awaitActive(0, WITHIN_A_SECOND_OR_SO);
        assertThat(counter("completed")).isEqualTo(completedBefore + 1);
    }
}
