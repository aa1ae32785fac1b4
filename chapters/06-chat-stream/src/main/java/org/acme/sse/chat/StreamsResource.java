package org.acme.sse.chat;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** How many answers are being generated right now: {@code {"active":n,...}}. Stop should bring it back down. */
@Path("/streams")
public class StreamsResource {

    @Inject
    ActiveStreams activeStreams;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ActiveStreams.Counts counts() {
        return activeStreams.counts();
    }
}
