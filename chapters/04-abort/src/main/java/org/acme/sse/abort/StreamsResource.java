package org.acme.sse.abort;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

/** How many streams the server is producing right now, as JSON and as a live SSE stream. */
@Path("/streams")
public class StreamsResource {

    @Inject
    ActiveStreams activeStreams;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ActiveStreams.Counts counts() {
        return activeStreams.counts();
    }

    /**
     * The counts every 200 ms, when they changed. This monitoring stream is not one of the streams it counts
     * (it would always count itself); like them, it stops when its client goes away.
     */
    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ActiveStreams.Counts> live() {
        return Multi.createFrom().ticks().every(Duration.ofMillis(200))
                .onOverflow().drop()
                .map(tick -> activeStreams.counts())
                .skip().repetitions();
    }

    /** HEAD: the headers of /live, and no stream, which would never end on its own and hold the connection. */
    @HEAD
    @Path("/live")
    public RestResponse<Void> liveHead() {
        return RestResponse.ResponseBuilder.<Void>ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }
}
