package org.acme.sse.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.acme.sse.testing.OnEventLoop;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.vertx.core.Vertx;

/**
 * Where the events of {@code /sse} are made, how many may wait for a slow reader, and what is left of a stream once
 * its client has gone: chapter 04's timers, through TimerStream. Each test subscribes the way Quarkus REST does for
 * a request, in an event-loop context.
 */
@QuarkusTest
class TickTimersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The event builder Quarkus REST hands to the resource as {@code @Context Sse}. */
    private static final Sse SSE = SseImpl.INSTANCE;

    @Inject
    TickResource ticks;

    @Inject
    Vertx vertx;

    @Test
    void ticksKeepAlivesAndDoneAreAllMadeOnTheEventLoopThatSubscribed() throws Exception {
        // Ticks 400 ms apart and a keep-alive of 300 ms: a comment in between.
        OnEventLoop.Recorded<OutboundSseEvent> stream = OnEventLoop.collect(vertx,
                () -> ticks.stream(SSE, 3, 400, 0, 300), TIMEOUT);

        assertThat(stream.items()).map(event -> event.getName() != null ? event.getName() : event.getComment())
                .startsWith("tick").contains("keep-alive").endsWith("tick", "done");
        assertThat(stream.threads()).as("the thread of each event").containsOnly(stream.subscribedOn());
    }

    @Test
    void aStreamSubscribedOutsideAVertxContextFailsLoudly() {
        assertThat(Vertx.currentContext()).as("the test's own thread has no Vert.x context").isNull();
        assertThatThrownBy(() -> ticks.stream(SSE, 3, 10, 0, 300).collect().asList().await().atMost(TIMEOUT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
    }

    @Test
    void aReaderThatFallsMaxWaitingEventsBehindFailsItsOwnStream() throws Exception {
        // 10,000 ticks 10 ms apart to a reader that takes the first and no more: once MAX_WAITING_EVENTS wait,
        // after about 5 s, the stream fails. A buffer of count events would hold them all for 100 s.
        AtomicInteger received = new AtomicInteger();
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> ticks.stream(SSE, 10_000, 10, 0, 0)
                .subscribe().withSubscriber(new Flow.Subscriber<OutboundSseEvent>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(1);
                    }

                    @Override
                    public void onNext(OutboundSseEvent event) {
                        received.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable failure) {
                        failed.complete(failure);
                    }

                    @Override
                    public void onComplete() {
                        failed.completeExceptionally(new AssertionError("the stream ended without failing"));
                    }
                }));
        assertThat(failed.get(TIMEOUT.multipliedBy(2).toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(BackPressureFailure.class);
        assertThat(received).hasValue(1);
    }

    @Test
    void aStreamWhoseClientLeftLeavesNothingBehindInItsTimers() throws Exception {
        WeakReference<Object> streamState = subscribeAndCancel();
        await("what the stream's timers referenced, garbage-collected").atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    System.gc();
                    return streamState.get() == null;
                });
    }

    /**
     * Ticks 200 ms apart and a keep-alive of 300 ms (so both timers run), cancelled after the first tick, as Quarkus
     * REST cancels when the connection closes. The stream's own event builder is what both timers refer to. In a
     * method of its own, so that nothing on the test's stack still refers to it.
     */
    private WeakReference<Object> subscribeAndCancel() throws Exception {
        Sse sse = new SseImpl();
        OnEventLoop.cancelAfterFirst(vertx, () -> ticks.stream(sse, 1000, 200, 0, 300), TIMEOUT);
        return new WeakReference<>(sse);
    }
}
