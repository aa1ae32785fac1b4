package org.acme.sse.ssevsws;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;

@Path("/sse")
public class TickResource {

    /** The header a browser's EventSource sends when it reconnects: the id of the last event it received. */
    static final String LAST_EVENT_ID = "Last-Event-ID";

    @Inject
    ObjectMapper json;

    @Inject
    StreamCutter cutter;

    @Inject
    ActiveStreams activeStreams;

    @Inject
    Vertx vertx;

    /**
     * How many events may wait for a client that reads too slowly, as in chapter 04: Mutiny allocates a bounded
     * buffer's array in full when the stream starts, so this is memory per stream (512 slots, 2 KiB).
     */
    static final int MAX_WAITING_EVENTS = 512;

    // A comment line after this much silence, so that proxies do not close an idle stream.
    @ConfigProperty(name = "ticker.keep-alive", defaultValue = "15s")
    Duration keepAlive;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> ticks(UriInfo uriInfo, @HeaderParam(LAST_EVENT_ID) String lastEventId,
            @Context Sse sse) {
        MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
        int count = QueryParameters.intInRange("count", query.getFirst("count"), 10, 1, 1000);
        int interval = QueryParameters.intInRange("intervalMs", query.getFirst("intervalMs"), 1000, 10, 60_000);
        int retry = QueryParameters.intInRange("retryMs", query.getFirst("retryMs"), 3000, 100, 60_000);
        Map<String, Object> params = QueryParameters.asObject(query);
        return stream(sse, count, interval, firstIdToSend(lastEventId, count), retry, params);
    }

    /**
     * Ticks {@code first..count-1} as named SSE events, then {@code done}; a keep-alive comment while idle; cut
     * short, without done, by the page's cut button. Counted by ActiveStreams from subscription to end.
     */
    Multi<OutboundSseEvent> stream(Sse sse, int count, int intervalMs, int first, int retryMs,
            Map<String, Object> params) {
        return activeStreams.track(Multi.createFrom().<OutboundSseEvent>emitter(
                emitter -> start(emitter, sse, count, intervalMs, first, retryMs, params),
                // As in chapter 04: the timers do not wait for the client (chapter 01), so the emitter fails
                // rather than drop an event, and the bounded buffer holds what a slow reader has not taken yet.
                BackPressureStrategy.ERROR)
                .onOverflow().buffer(Math.min(count - first + 1, MAX_WAITING_EVENTS)));
    }

    /** Runs when Quarkus subscribes: sets the stream's timers, and stops them however the stream ends. */
    private void start(MultiEmitter<? super OutboundSseEvent> emitter, Sse sse, int count, int intervalMs, int first,
            int retryMs, Map<String, Object> params) {
        // Chapter 04's rule: Quarkus REST subscribes in the request's Vert.x context, on the event loop that owns
        // the connection, and a Vert.x timer set here fires on that same thread. Anywhere else the timers would
        // land on an arbitrary event loop and every event would cross threads: fail loudly instead.
        io.vertx.core.Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            emitter.fail(new IllegalStateException("a tick stream must be subscribed on the connection's event loop"
                    + " (in its Vert.x context), not on " + Thread.currentThread().getName()));
            return;
        }
        long[] lastWrite = { System.nanoTime() }; // touched on this stream's event loop only
        long[] next = { first };
        Runnable tick = () -> {
            long id = next[0]++;
            OutboundSseEvent.Builder event = sse.newEventBuilder()
                    .name("tick")
                    .id(Long.toString(id))
                    .data(toJson(new Tick(id, Instant.now(), params)));
            // retry: once, at the start of each response; the browser keeps it until told otherwise.
            emitter.emit((id == first ? event.reconnectDelay(retryMs) : event).build());
            lastWrite[0] = System.nanoTime();
            if (id == count - 1) {
                emitter.emit(sse.newEventBuilder().name("done").data(toJson(Map.of("lastId", id))).build());
                emitter.complete();
            }
        };
        tick.run(); // the first tick at once
        if (next[0] == count) {
            return; // that was the last one
        }
        long ticking = vertx.setPeriodic(intervalMs, timer -> tick.run());

        // Never more than keepAlive of silence, by checking twice per period (chapter 02). Ticks closer together
        // than that never leave so much silence, and need no keep-alive timer.
        long check = keepAlive.toMillis() / 2;
        long keepingAlive = intervalMs < check ? -1 : vertx.setPeriodic(check, timer -> {
            if (System.nanoTime() - lastWrite[0] >= Duration.ofMillis(check).toNanos()) {
                emitter.emit(sse.newEventBuilder().comment(" keep-alive").build());
                lastWrite[0] = System.nanoTime();
            }
        });

        // The page's cut button: POST /sse/cut runs on its own connection's thread, so the cut is handed over to
        // this stream's event loop, where everything else of the stream happens.
        Cancellable cutting = cutter.cuts().subscribe()
                .with(cut -> context.runOnContext(ignored -> emitter.complete()));

        // Done, cut, failed, or the client went away: each timer leaves the event loop's queue at once (chapter
        // 04). Registered last, after everything it stops exists; had the stream already ended, Mutiny runs it now.
        emitter.onTermination(() -> {
            vertx.cancelTimer(ticking);
            vertx.cancelTimer(keepingAlive); // -1, no timer: nothing to cancel
            cutting.cancel();
        });
    }

    /**
     * HEAD is a GET without the body (RFC 9110), and JAX-RS would answer it by running the GET: the whole stream,
     * written to nobody, holding the connection until the last tick. Here it gets the same checks and status, and
     * no stream: ticks() only builds the Multi, whose timers are set when it is subscribed.
     */
    @HEAD
    public RestResponse<Void> head(UriInfo uriInfo, @HeaderParam(LAST_EVENT_ID) String lastEventId, @Context Sse sse) {
        ticks(uriInfo, lastEventId, sse);
        return RestResponse.ResponseBuilder.<Void>ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    /**
     * Where a stream resumes. No Last-Event-ID: from 0. The last id of the stream: there is nothing left, and
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

    /** Ends every stream that is running now; their browsers reconnect and resume. For the page's button. */
    @POST
    @Path("/cut")
    public Map<String, Integer> cut() {
        return Map.of("cut", cutter.cutAll());
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One tick's data, as in chapter 01. */
    public record Tick(long id, Instant time, Map<String, Object> params) {
    }
}
