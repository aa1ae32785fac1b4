package org.acme.sse.production;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** {@code GET /streams} → {@code {"active":n}}: the streams running now, behind whatever proxy. */
@Path("/streams")
public class StreamsResource {

    @Inject
    ActiveStreams activeStreams;

    @GET
    public Map<String, Integer> streams() {
        return Map.of("active", activeStreams.active());
    }
}
