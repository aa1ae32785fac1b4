package org.acme.sse.abort;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;

/** The EventSource side: GET /sse, with ids, retry, done and resume, as in chapter 02. */
@Path("/sse")
public class EventSourceResource {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    @Inject
    TickStreams tickStreams;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> ticks(UriInfo uriInfo, @HeaderParam(LAST_EVENT_ID) String lastEventId,
            @Context Sse sse, HttpServerResponse response) {
        MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
        int count = QueryParameters.intInRange("count", query.getFirst("count"), 10, 1, 100_000);
        int interval = QueryParameters.intInRange("intervalMs", query.getFirst("intervalMs"), 1000, 10, 60_000);
        int retry = QueryParameters.intInRange("retryMs", query.getFirst("retryMs"), 3000, 100, 60_000);
        int first = firstIdToSend(lastEventId, count);
        Multi<OutboundSseEvent> stream = tickStreams.ticks("eventsource", sse, count, interval, first, retry,
                QueryParameters.asObject(query));
        setStreamingHeaders(response); // only once the stream is admitted: a 503 is not a stream
        return stream;
    }

    /**
     * HEAD is a GET without the body (RFC 9110), and JAX-RS would answer it by running the GET: a whole stream,
     * written to nobody, holding the connection until the last tick. Here it gets the same checks, and no stream.
     */
    @HEAD
    public RestResponse<Void> head(UriInfo uriInfo, @HeaderParam(LAST_EVENT_ID) String lastEventId) {
        MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
        int count = QueryParameters.intInRange("count", query.getFirst("count"), 10, 1, 100_000);
        QueryParameters.intInRange("intervalMs", query.getFirst("intervalMs"), 1000, 10, 60_000);
        QueryParameters.intInRange("retryMs", query.getFirst("retryMs"), 3000, 100, 60_000);
        firstIdToSend(lastEventId, count);
        return RestResponse.ResponseBuilder.<Void>ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    /**
     * Headers for whatever sits between the server and the browser: no cache may keep a copy of a live stream,
     * and nginx must pass each event on at once instead of buffering the response (X-Accel-Buffering).
     */
    static void setStreamingHeaders(HttpServerResponse response) {
        response.putHeader("Cache-Control", "no-store");
        response.putHeader("X-Accel-Buffering", "no");
    }

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
        return RestResponse.noContent();
    }
}
