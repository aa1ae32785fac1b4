package org.acme.sse.chat;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.client.SseEvent;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Multi;

/**
 * An OpenAI-compatible API, read as a stream: the REST client parses the event stream and hands over one
 * {@link SseEvent} per event, as it arrives, with its name ({@code error}, or none) and its data as text.
 */
@Path("/chat/completions")
public interface UpstreamClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    Multi<SseEvent<String>> stream(@HeaderParam("Authorization") String authorization, ObjectNode request);

    /** An error status, before any event: turned into one of ours, in the API's shape. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return UpstreamChat.statusError(response);
    }
}
