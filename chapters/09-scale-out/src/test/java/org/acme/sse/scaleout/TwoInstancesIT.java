package org.acme.sse.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two real instances and a real Redis, on the wire: what one instance accepts, every instance streams. */
class TwoInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static TwoInstances instances;

    @BeforeAll
    static void start() {
        instances = new TwoInstances(Map.of());
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }


    @Test
    void aMessagePostedToAReachesSubscribersOnAAndB() {
        try (RawHttpStream onA = RawHttpStream.get(instances.feed(instances.a));
                RawHttpStream onB = RawHttpStream.get(instances.feed(instances.b))) {
            onA.awaitBodyContaining("\"instance\":\"A\"", WAIT);
            onB.awaitBodyContaining("\"instance\":\"B\"", WAIT);

            String id = instances.post(instances.a, "posted to A");

            String seenOnA = onA.awaitBodyContaining("\"text\":\"posted to A\"", WAIT);
            String seenOnB = onB.awaitBodyContaining("\"text\":\"posted to A\"", WAIT);
            assertThat(TwoInstances.messageIds(seenOnA)).containsExactly(id);
            assertThat(TwoInstances.messageIds(seenOnB)).containsExactly(id);
            assertThat(seenOnB).contains("\"via\":\"A\"");
        }
    }

    @Test
    void aReconnectToTheOtherInstanceResumesAfterItsLastEventId() {
        String seen;
        try (RawHttpStream onA = RawHttpStream.get(instances.feed(instances.a))) {
            onA.awaitBodyContaining("event: joined", WAIT);
            instances.post(instances.b, "one");
            seen = onA.awaitBodyContaining("\"text\":\"one\"", WAIT);
        }
        String lastSeen = TwoInstances.messageIds(seen).get(0);
        // while the browser is away, both instances take messages
        String two = instances.post(instances.a, "two");
        String three = instances.post(instances.b, "three");

        try (RawHttpStream onB = RawHttpStream.get(instances.feed(instances.b), "Last-Event-ID", lastSeen)) {
            onB.awaitBodyContaining("\"text\":\"three\"", WAIT);
            String four = instances.post(instances.a, "four");
            String body = onB.awaitBodyContaining("\"text\":\"four\"", WAIT);
            assertThat(TwoInstances.messageIds(body)).containsExactly(two, three, four);
            assertThat(body).doesNotContain("event: reset");
        }
    }
}
