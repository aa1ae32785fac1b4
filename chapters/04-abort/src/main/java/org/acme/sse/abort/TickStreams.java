package org.acme.sse.abort;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;

/** The ticker of chapters 02 and 03, for both endpoints, with the server-side limits of this chapter. */
@ApplicationScoped
public class TickStreams {

    @Inject
    ObjectMapper json;

    @Inject
    ActiveStreams activeStreams;

    @Inject
    Timers timers;

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
        AtomicLong lastWrite = new AtomicLong(System.nanoTime());
        Multi<OutboundSseEvent> ticks = Multi.createFrom().ticks().onExecutor(timers.executor())
                .every(Duration.ofMillis(intervalMs))
                .select().first(count - first)
                // ticks() does not wait for the subscriber (chapter 01). Bounded: a client that reads too
                // slowly for 10 000 ticks fails its own stream, not the server's memory.
                .onOverflow().buffer(Math.min(count - first, 10_000))
                .map(n -> {
                    long id = first + n;
                    lastWrite.set(System.nanoTime());
                    OutboundSseEvent.Builder event = sse.newEventBuilder().name("tick").id(Long.toString(id))
                            .data(toJson(new Tick(id, Instant.now(), request)));
                    return (n == 0 && retryMs != null ? event.reconnectDelay(retryMs) : event).build();
                });
        OutboundSseEvent done = sse.newEventBuilder().name("done").data(toJson(Map.of("lastId", count - 1))).build();
        // As in chapter 02: never more than keepAlive of silence.
        Duration check = keepAlive.dividedBy(2);
        Multi<OutboundSseEvent> keepAlives = Multi.createFrom().ticks().onExecutor(timers.executor())
                .startingAfter(check).every(check)
                .onOverflow().drop()
                .select().where(n -> System.nanoTime() - lastWrite.get() >= check.toNanos())
                .invoke(n -> lastWrite.set(System.nanoTime()))
                .map(n -> sse.newEventBuilder().comment(" keep-alive").build());

        OutboundSseEvent end = sse.newEventBuilder().comment("end").build();
        // A stream may not run forever: after max-duration it completes like any finished response.
        // EventSource will reconnect and resume after its last id; a fetch client sees an end without done.
        Multi<OutboundSseEvent> deadline = Multi.createFrom().ticks().onExecutor(timers.executor())
                .startingAfter(maxDuration).every(maxDuration)
                .map(n -> end);
        Multi<OutboundSseEvent> stream = Multi.createBy().merging()
                .streams(ticks.onCompletion().continueWith(done, end), keepAlives, deadline)
                .select().first(event -> event != end);
        return activeStreams.track(kind, stream);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
