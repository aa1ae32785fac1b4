package org.acme.sse.eventsource;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;

/**
 * When does {@code Multi.createFrom().ticks()} emit its first tick? Measured on the Mutiny this project runs,
 * because TickResource (and the guide) rely on the answer: at once, not after a whole interval.
 */
class FirstTickTest {

    /** Long enough that "at once" and "after one interval" cannot be mistaken for each other, even under load. */
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    @BeforeAll
    static void startMutinysScheduler() {
        // The very first timer also starts Mutiny's scheduler thread: not part of what is measured.
        Multi.createFrom().ticks().every(INTERVAL).toUni().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void ticksEmitsTheFirstTickAtOnceNotAfterAnInterval() {
        Duration delay = firstTickDelay("ticks().every(2 s)", Multi.createFrom().ticks().every(INTERVAL));

        assertThat(delay).isLessThan(INTERVAL.dividedBy(2));
    }

    @Test
    void startingAfterSetsTheDelayBeforeTheFirstTick() {
        // startingAfter(d) does not make the first tick come sooner: it makes it wait d. A scheduled task never
        // runs early, so the first tick comes after at least d: for 1 ms, one millisecond later than without it.
        Duration oneMillisecond = Duration.ofMillis(1);
        Duration afterOneMillisecond = firstTickDelay("ticks().startingAfter(1 ms).every(2 s)",
                Multi.createFrom().ticks().startingAfter(oneMillisecond).every(INTERVAL));
        Duration afterAnInterval = firstTickDelay("ticks().startingAfter(2 s).every(2 s)",
                Multi.createFrom().ticks().startingAfter(INTERVAL).every(INTERVAL));

        assertThat(afterOneMillisecond).isBetween(oneMillisecond, INTERVAL.dividedBy(2));
        assertThat(afterAnInterval).isGreaterThanOrEqualTo(INTERVAL);
    }

    /** From subscribing (which requests items, and so starts the timer) to the first tick. */
    private static Duration firstTickDelay(String label, Multi<Long> ticks) {
        long start = System.nanoTime();
        Long first = ticks.toUni().await().atMost(Duration.ofSeconds(30)); // takes the first tick, then cancels
        Duration delay = Duration.ofNanos(System.nanoTime() - start);
        assertThat(first).isZero();
        System.out.printf("%s: first tick after %.1f ms%n", label, delay.toNanos() / 1e6);
        return delay;
    }
}
