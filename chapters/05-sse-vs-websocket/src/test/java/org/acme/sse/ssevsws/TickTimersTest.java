package org.acme.sse.ssevsws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.acme.sse.testing.OnEventLoop;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * Where the events of {@code /sse} are made, and what is left of a stream once its client has gone: chapter 04's
 * timers, on the event loop that subscribed. Each test subscribes the way Quarkus REST does for a request, in an
 * event-loop context. Tests run with a keep-alive of 300 ms (application.properties).
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
        // Ticks 400 ms apart: a keep-alive comment in between.
        OnEventLoop.Recorded<OutboundSseEvent> stream = OnEventLoop.collect(vertx,
                () -> ticks.stream(SSE, 3, 400, 0, 1000, Map.of()), TIMEOUT);

        assertThat(stream.items()).map(event -> event.getName() != null ? event.getName() : event.getComment().strip())
                .startsWith("tick").contains("keep-alive").endsWith("tick", "done");
        assertThat(stream.threads()).as("the thread of each event").containsOnly(stream.subscribedOn());
    }

    @Test
    void aStreamSubscribedOutsideAVertxContextFailsLoudly() {
        assertThat(Vertx.currentContext()).as("the test's own thread has no Vert.x context").isNull();
        assertThatThrownBy(() -> ticks.stream(SSE, 3, 10, 0, 1000, Map.of()).collect().asList().await()
                .atMost(TIMEOUT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
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
     * Ticks 200 ms apart (so the keep-alive timer runs too), cancelled after the first one, as Quarkus REST
     * cancels when the connection closes. The query parameters are what the tick timer refers to. In a method of
     * its own, so that nothing on the test's stack still refers to them.
     */
    private WeakReference<Object> subscribeAndCancel() throws Exception {
        Map<String, Object> params = new HashMap<>();
        OnEventLoop.cancelAfterFirst(vertx, () -> ticks.stream(SSE, 1000, 200, 0, 1000, params), TIMEOUT);
        return new WeakReference<>(params);
    }
}
