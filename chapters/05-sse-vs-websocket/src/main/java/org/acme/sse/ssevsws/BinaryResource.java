package org.acme.sse.ssevsws;

import java.util.Base64;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import io.smallrye.mutiny.Multi;

/** The sample bytes over SSE: an event stream is UTF-8 text, so binary data has to travel as base64. */
@Path("/sse/binary")
public class BinaryResource {

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> binary(@Context Sse sse) {
        // 256 bytes become 344 characters: base64 writes 3 bytes as 4 characters (RFC 4648).
        String base64 = Base64.getEncoder().encodeToString(SampleBytes.get());
        return Multi.createFrom().item(sse.newEventBuilder().name("binary").data(base64).build());
    }
}
