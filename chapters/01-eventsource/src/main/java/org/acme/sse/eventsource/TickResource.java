package org.acme.sse.eventsource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

@Path("/sse")
public class TickResource {

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Tick> ticks(UriInfo uriInfo) {
        MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
        // Checked before the stream starts: a bad value gets a 400 and a problem body, never a stream.
        int events = QueryParameters.intInRange("count", query.getFirst("count"), 10, 1, 1000);
        int interval = QueryParameters.intInRange("intervalMs", query.getFirst("intervalMs"), 1000, 10, 60_000);
        Map<String, Object> params = QueryParameters.asObject(query);

        // The first tick comes at once, then one every interval (Mutiny starts the timer with no initial delay).
        return Multi.createFrom().ticks().every(Duration.ofMillis(interval))
                // Take count ticks: then the timer is cancelled, and at most count ticks ever exist.
                .select().first(events)
                // ticks() keeps its own clock and does not wait for the subscriber: when a tick comes before the
                // HTTP layer has asked for the next item, Mutiny fails the stream ("Could not emit tick 1 due to
                // lack of requests"). Buffer instead: every id counts, and the buffer never holds more than the
                // whole stream (at most 1000 small ticks).
                .onOverflow().buffer(events)
                .map(n -> new Tick(n, Instant.now(), params));
    }

    /**
     * HEAD is a GET without the body (RFC 9110), and JAX-RS would answer it by running the GET: the whole stream,
     * written to nobody, holding the connection until the last tick. Here it gets the same checks and status, and
     * no stream: ticks() only builds the Multi, which does nothing until it is subscribed.
     */
    @HEAD
    public RestResponse<Void> head(UriInfo uriInfo) {
        ticks(uriInfo);
        return RestResponse.ResponseBuilder.<Void>ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    /** One event's data: its 0-based position, when it was sent, and the query parameters of the request. */
    public record Tick(long id, Instant time, Map<String, Object> params) {
    }
}
