package org.acme.sse.abort;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The ticker of chapters 02 and 03, for both endpoints, with the server-side limits of this chapter. */
@ApplicationScoped
public class TickStreams {

    /**
     * How many events may wait for a client that reads too slowly. Mutiny allocates a bounded buffer's array in
     * full when the stream starts, so this is memory per stream (512 slots, 2 KiB), whether it is used or not.
     */
    static final int MAX_WAITING_EVENTS = 512;

    @Inject
    ObjectMapper json;

    @Inject
    ActiveStreams activeStreams;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "ticker.keep-alive")
    Duration keepAlive;

    @ConfigProperty(name = "streams.max-duration")
    Duration maxDuration;

    /** One tick's data: its id, when it was sent, and what the client asked for. */
    public record Tick(long id, Instant time, Object request) {
    }

    /**
     * Ticks {@code first..count-1} as named SSE events, then {@code done}; a keep-alive comment while idle; the
     * whole stream ends after {@code streams.max-duration}, done or not, and is tracked by ActiveStreams.
     */
    Multi<OutboundSseEvent> ticks(String kind, Sse sse, int count, int intervalMs, int first, Integer retryMs,
            Object request) {
        Multi<OutboundSseEvent> stream = Multi.createFrom().<OutboundSseEvent>emitter(
                emitter -> start(emitter, sse, count, intervalMs, first, retryMs, request),
                // The timers do not wait for the client (chapter 01): the emitter fails rather than drop an
                // event, and the buffer below holds what a slow reader has not taken yet. Bounded: a client that
                // falls MAX_WAITING_EVENTS behind fails its own stream, not the server's memory.
                BackPressureStrategy.ERROR)
                .onOverflow().buffer(Math.min(count - first + 1, MAX_WAITING_EVENTS));
        return activeStreams.track(kind, stream);
    }

    /** Runs when Quarkus subscribes: sets the stream's timers, and cancels them however the stream ends. */
    private void start(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse, int count, int intervalMs, int first,
            Integer retryMs, Object request) {
        // Quarkus REST subscribes in the request's Vert.x context, which belongs to the event loop that owns the
        // connection, and a Vert.x timer set in a context fires on that context's event loop: each event is made
        // and written on that one thread, with no hand-over to another thread and no queue in between. Without a
        // context (a subscription from some other thread), Vert.x would put the timers on an arbitrary event loop
        // and every event would cross threads: fail loudly rather than be slow in silence.
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            emitter.fail(new IllegalStateException("a tick stream must be subscribed on the connection's event loop"
                    + " (in its Vert.x context), not on " + Thread.currentThread().getName()));
            return;
        }
        // Done, past the deadline, failed, or the client went away: cancelTimer takes each timer out of the
        // event loop's queue at once, with everything its handler references. -1: no timer (ids start at 0).
        long[] timers = { -1, -1, -1 };
        emitter.onTermination(() -> {
            for (long timer : timers) {
                vertx.cancelTimer(timer);
            }
        });

        long[] lastWrite = { System.nanoTime() }; // touched by this stream's timers only, all on this thread
        long[] next = { first };
        Runnable tick = () -> {
            long id = next[0]++;
            OutboundSseEvent.Builder event = sse.newEventBuilder().name("tick").id(Long.toString(id))
                    .data(toJson(new Tick(id, Instant.now(), request)));
            emitter.emit((id == first && retryMs != null ? event.reconnectDelay(retryMs) : event).build());
            lastWrite[0] = System.nanoTime();
            if (id == count - 1) {
                emitter.emit(sse.newEventBuilder().name("done").data(toJson(Map.of("lastId", id))).build());
                emitter.complete();
            }
        };
        tick.run(); // the first tick at once, as in chapters 02 and 03
        if (next[0] == count) {
            return; // that was the last one
        }
        timers[0] = vertx.setPeriodic(intervalMs, timer -> tick.run());

        // As in chapter 02: never more than keepAlive of silence, by checking twice per period. Ticks closer
        // together than that never leave so much silence, and need no keep-alive timer.
        long check = keepAlive.toMillis() / 2;
        if (intervalMs >= check) {
            timers[1] = vertx.setPeriodic(check, timer -> {
                if (System.nanoTime() - lastWrite[0] >= Duration.ofMillis(check).toNanos()) {
                    emitter.emit(sse.newEventBuilder().comment(" keep-alive").build());
                    lastWrite[0] = System.nanoTime();
                }
            });
        }

        // A stream may not run forever: after max-duration it completes like any finished response.
        // EventSource will reconnect and resume after its last id; a fetch client sees an end without done.
        timers[2] = vertx.setTimer(maxDuration.toMillis(), timer -> emitter.complete());
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
