package org.acme.sse.customevents;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import io.smallrye.mutiny.Multi;

/**
 * Test only: hands a value to Quarkus's SSE writer untouched, so that MultiLineDataWireTest can show what the
 * writer itself does with LF, CR and CRLF (and why AnswerResource turns every line end into LF first).
 */
@Path("/test-only/sse-writer")
public class SseWriterProbe {

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> write(@QueryParam("data") String data, @Context Sse sse) {
        return Multi.createFrom().item(sse.newEventBuilder().data(data).build());
    }
}
