package org.acme.sse.production;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * The ticker of chapter 02 on chapter 04's timers, made ready for what stands between it and the browser: headers
 * for proxies, and a keep-alive comment that is shorter than any proxy's idle timeout.
 */
@Path("/sse")
public class TickResource {

    /** The header a browser's EventSource sends when it reconnects: the id of the last event it received. */
    static final String LAST_EVENT_ID = "Last-Event-ID";

    @Inject
    ObjectMapper json;

    @Inject
    ActiveStreams activeStreams;

    // A comment line after this much silence: nginx cuts a stream it has heard nothing from for
    // proxy_read_timeout (60 s by default), and so do load balancers with their own idle timeouts.
    @ConfigProperty(name = "production.keep-alive")
    Duration keepAlive;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> ticks(@QueryParam("count") String countParam,
            @QueryParam("intervalMs") String intervalParam, @QueryParam("keepAliveMs") String keepAliveParam,
            @HeaderParam(LAST_EVENT_ID) String lastEventId, @Context Sse sse, HttpServerResponse response) {
        int count = QueryParameters.intInRange("count", countParam, 10, 1, 10_000);
        int interval = QueryParameters.intInRange("intervalMs", intervalParam, 1000, 10, 60_000);
        // 0 turns the keep-alive off: the guide uses it to show what a proxy does to a silent stream.
        int keepAliveMs = QueryParameters.intInRange("keepAliveMs", keepAliveParam, (int) keepAlive.toMillis(), 0,
                60_000);
        int first = firstIdToSend(lastEventId, count);
        setProxyHeaders(response);
        return stream(sse, count, interval, first, keepAliveMs);
    }

    /**
     * HEAD is a GET without the body (RFC 9110), and JAX-RS would answer it by running the GET: the whole stream,
     * written to nobody, holding the connection until the last tick. Here it gets the same checks, status and
     * headers, and no stream: {@link #stream} only builds the Multi, whose timers are set when it is subscribed.
     */
    @HEAD
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public RestResponse<Void> head(@QueryParam("count") String countParam,
            @QueryParam("intervalMs") String intervalParam, @QueryParam("keepAliveMs") String keepAliveParam,
            @HeaderParam(LAST_EVENT_ID) String lastEventId, @Context Sse sse, HttpServerResponse response) {
        ticks(countParam, intervalParam, keepAliveParam, lastEventId, sse, response);
        return RestResponse.ResponseBuilder.<Void>ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    /**
     * Ticks {@code first..count-1} as named SSE events, then {@code done}; a keep-alive comment while idle, unless
     * {@code keepAliveMs} is 0. Counted by ActiveStreams from subscription to end.
     */
    Multi<OutboundSseEvent> stream(Sse sse, int count, int intervalMs, int first, int keepAliveMs) {
        return activeStreams.track(TimerStream.<OutboundSseEvent>of(count - first + 1, // the ticks and done
                (vertx, emitter) -> start(vertx, emitter, sse, count, intervalMs, first, keepAliveMs)));
    }

    /** Runs when Quarkus subscribes, on the connection's event loop: sends tick {@code first} and sets the timers. */
    private long[] start(Vertx vertx, MultiEmitter<? super OutboundSseEvent> emitter, Sse sse, int count,
            int intervalMs, int first, int keepAliveMs) {
        long[] lastWrite = { System.nanoTime() }; // touched on this stream's event loop only
        long[] next = { first };
        Runnable tick = () -> {
            long id = next[0]++;
            emitter.emit(sse.newEventBuilder().name("tick").id(Long.toString(id))
                    .data(toJson(new Tick(id, Instant.now()))).build());
            lastWrite[0] = System.nanoTime();
            if (id == count - 1) {
                emitter.emit(sse.newEventBuilder().name("done").data(toJson(Map.of("lastId", id))).build());
                emitter.complete();
            }
        };
        tick.run(); // the first tick at once
        if (next[0] == count) {
            return new long[0]; // that was the last one
        }
        long ticking = vertx.setPeriodic(intervalMs, timer -> tick.run());

        // Checked twice per period, so that the silence never lasts longer than the keep-alive (chapter 02). Ticks
        // closer together than a check never leave so much silence, and need no keep-alive timer.
        long check = Math.max(1, keepAliveMs / 2);
        if (keepAliveMs == 0 || intervalMs < check) {
            return new long[] { ticking };
        }
        long keepingAlive = vertx.setPeriodic(check, timer -> {
            if (System.nanoTime() - lastWrite[0] >= Duration.ofMillis(check).toNanos()) {
                emitter.emit(sse.newEventBuilder().comment("keep-alive").build());
                lastWrite[0] = System.nanoTime();
            }
        });
        return new long[] { ticking, keepingAlive };
    }

    /**
     * No cache may keep a copy of a live stream, and nginx must pass each event on when it comes instead of
     * buffering the response: nginx reads {@code X-Accel-Buffering: no} as {@code proxy_buffering off} for this
     * one response (and does not pass the header on to the browser).
     */
    public static void setProxyHeaders(HttpServerResponse response) {
        response.putHeader("Cache-Control", "no-store");
        response.putHeader("X-Accel-Buffering", "no");
    }

    /**
     * Where a stream resumes. No Last-Event-ID: from 0. The last id of the stream: nothing is left, and
     * {@code 204 No Content} tells the browser to stop reconnecting. Anything else that is not an id of this
     * stream is a client error.
     */
    static int firstIdToSend(String lastEventId, int count) {
        if (lastEventId == null || lastEventId.isEmpty()) {
            return 0;
        }
        if (!lastEventId.matches("[0-9]{1,9}")) {
            throw new BadRequestException(LAST_EVENT_ID + " must be a whole number, the id of an event");
        }
        int last = Integer.parseInt(lastEventId);
        if (last >= count) {
            throw new BadRequestException(
                    LAST_EVENT_ID + " must be between 0 and " + (count - 1) + " for count=" + count + ", was " + last);
        }
        if (last == count - 1) {
            throw new StreamAlreadyComplete();
        }
        return last + 1;
    }

    /** Thrown before a stream starts when the client already has every event. */
    static class StreamAlreadyComplete extends RuntimeException {
        StreamAlreadyComplete() {
            super(null, null, false, false);
        }
    }

    @ServerExceptionMapper
    public RestResponse<Void> nothingLeft(StreamAlreadyComplete e) {
        // HTML Standard: a 204 makes EventSource "fail the connection" -- it closes and does not come back.
        return RestResponse.noContent();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Tick(long id, Instant time) {
    }
}
