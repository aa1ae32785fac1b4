package org.acme.sse.ssevsws;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** How many tick streams, SSE and WebSocket, the server is running right now: {@code {"active":2}}. */
@Path("/streams")
public class StreamsResource {

    @Inject
    ActiveStreams activeStreams;

    @GET
    public Map<String, Integer> active() {
        return Map.of("active", activeStreams.active());
    }
}
