package org.acme.sse.abort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * The pitfall the guide tells of, and why the chapter's streams no longer risk it: a cancelled timer that stays
 * queued until the time it was due. Each test sets a 10-minute timer (the default maximum duration of a stream),
 * cancels it, and looks at what is left.
 */
@QuarkusTest
class CancelledTimersTest {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    @Inject
    Vertx vertx;

    @Test
    void aJdkSchedulerKeepsACancelledTaskQueuedUntilItIsDue() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            ScheduledFuture<?> timer = scheduler.schedule(() -> { }, TEN_MINUTES.toMillis(), TimeUnit.MILLISECONDS);
            timer.cancel(false);
            assertThat(scheduler.getQueue()).containsExactly((Runnable) timer);

            scheduler.setRemoveOnCancelPolicy(true); // what chapter 04 used to do
            scheduler.schedule(() -> { }, TEN_MINUTES.toMillis(), TimeUnit.MILLISECONDS).cancel(false);
            assertThat(scheduler.getQueue()).containsExactly((Runnable) timer); // only the one from before
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aCancelledVertxTimerLetsGoOfTheStreamAtOnce() throws Exception {
        // As in TickStreams: set and cancelled on an event loop, the handler referring to the stream's state.
        CompletableFuture<WeakReference<Object>> cancelled = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            Object streamState = new Object();
            long timer = vertx.setTimer(TEN_MINUTES.toMillis(), id -> streamState.hashCode());
            vertx.cancelTimer(timer);
            cancelled.complete(new WeakReference<>(streamState));
        });
        awaitCollected(cancelled.get(10, TimeUnit.SECONDS));
    }

    @Test
    void mutinyTimersInThisQuarkusLetGoOfACancelledStreamToo() {
        awaitCollected(subscribeToATickStreamAndCancel());
    }

    /** In a method of its own, so that nothing on the test's stack still refers to the state. */
    private static WeakReference<Object> subscribeToATickStreamAndCancel() {
        Object streamState = new Object();
        Cancellable subscription = Multi.createFrom().ticks().startingAfter(TEN_MINUTES).every(TEN_MINUTES)
                .subscribe().with(tick -> streamState.hashCode());
        subscription.cancel();
        return new WeakReference<>(streamState);
    }

    private static void awaitCollected(WeakReference<Object> state) {
        await("the stream's state garbage-collected").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    System.gc();
                    return state.get() == null;
                });
    }
}
