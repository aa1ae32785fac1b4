package org.acme.sse.customevents;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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

@Path("/sse")
public class TickResource {

    /** The header a browser's EventSource sends when it reconnects: the id of the last event it received. */
    static final String LAST_EVENT_ID = "Last-Event-ID";

    @Inject
    ObjectMapper json;

    @Inject
    StreamCutter cutter;

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
        int first = firstIdToSend(lastEventId, count);

        AtomicLong lastWrite = new AtomicLong(System.nanoTime());
        Multi<OutboundSseEvent> ticks = Multi.createFrom().ticks().every(Duration.ofMillis(interval))
                .select().first(count - first)
                .onOverflow().buffer(count) // ticks() does not wait for the subscriber: see chapter 01
                .map(n -> {
                    long id = first + n;
                    lastWrite.set(System.nanoTime());
                    OutboundSseEvent.Builder event = sse.newEventBuilder()
                            .name("tick")
                            .id(Long.toString(id))
                            .data(toJson(new Tick(id, Instant.now(), params)));
                    // retry: once, at the start of each response; the browser keeps it until told otherwise.
                    return (n == 0 ? event.reconnectDelay(retry) : event).build();
                });
        OutboundSseEvent done = sse.newEventBuilder().name("done").data(toJson(Map.of("lastId", count - 1))).build();

        // Checked twice per period, so that the silence never lasts longer than keepAlive.
        Duration check = keepAlive.dividedBy(2);
        Multi<OutboundSseEvent> keepAlives = Multi.createFrom().ticks().startingAfter(check).every(check)
                .onOverflow().drop() // a missed check is no loss
                .select().where(n -> System.nanoTime() - lastWrite.get() >= check.toNanos())
                .invoke(n -> lastWrite.set(System.nanoTime()))
                .map(n -> sse.newEventBuilder().comment(" keep-alive").build());

        // Three sources in one response: the ticks, then done; the keep-alives; and the page's cut button.
        // The keep-alive timer never ends by itself, so the merge is stopped by a marker that is never sent:
        // `end`, after done, or when the stream is cut on purpose.
        OutboundSseEvent end = sse.newEventBuilder().comment("end").build();
        return Multi.createBy().merging().streams(
                ticks.onCompletion().continueWith(done, end),
                keepAlives,
                cutter.cuts().map(cut -> end))
                .select().first(event -> event != end);
    }

    /**
     * HEAD is a GET without the body (RFC 9110), and JAX-RS would answer it by running the GET: the whole stream,
     * written to nobody, holding the connection until the last tick. Here it gets the same checks and status (400,
     * 204), and no stream: ticks() only builds the Multi, which does nothing until it is subscribed.
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
