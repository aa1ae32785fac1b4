package org.acme.sse.abort;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

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
        AtomicBoolean sentSinceLastCheck = new AtomicBoolean();
        Multi<OutboundSseEvent> ticks = Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1))
                .every(Duration.ofMillis(intervalMs))
                // ticks() does not wait for the subscriber (chapter 01). Bounded: a client that reads too
                // slowly for 10 000 ticks fails its own stream, not the server's memory.
                .onOverflow().buffer(Math.min(count - first, 10_000))
                .select().first(count - first)
                .map(n -> {
                    long id = first + n;
                    sentSinceLastCheck.set(true);
                    OutboundSseEvent.Builder event = sse.newEventBuilder().name("tick").id(Long.toString(id))
                            .data(toJson(new Tick(id, Instant.now(), request)));
                    return (n == 0 && retryMs != null ? event.reconnectDelay(retryMs) : event).build();
                });
        OutboundSseEvent done = sse.newEventBuilder().name("done").data(toJson(Map.of("lastId", count - 1))).build();
        Multi<OutboundSseEvent> keepAlives = Multi.createFrom().ticks().startingAfter(keepAlive).every(keepAlive)
                .onOverflow().drop()
                .select().where(n -> !sentSinceLastCheck.getAndSet(false))
                .map(n -> sse.newEventBuilder().comment(" keep-alive").build());

        OutboundSseEvent end = sse.newEventBuilder().comment("end").build();
        Multi<OutboundSseEvent> stream = Multi.createBy().merging()
                .streams(ticks.onCompletion().continueWith(done, end), keepAlives)
                .select().first(event -> event != end)
                // A stream may not run forever: after max-duration it completes like any finished response.
                // EventSource will reconnect and resume after its last id; a fetch client sees an end without done.
                .select().first(maxDuration);
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
