package org.acme.sse.abort;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;

/** The fetch() side: POST /fetch-sse with a JSON body, as in chapter 03. */
@Path("/fetch-sse")
public class FetchResource {

    private static final int MAX_BODY_BYTES = 64 * 1024;

    @Inject
    TickStreams tickStreams;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(byte[] body, UriInfo uriInfo, @Context Sse sse,
            HttpServerResponse response) {
        MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
        int count = QueryParameters.intInRange("count", query.getFirst("count"), 10, 1, 100_000);
        int interval = QueryParameters.intInRange("intervalMs", query.getFirst("intervalMs"), 1000, 10, 60_000);
        JsonNode request = parse(body);
        Multi<OutboundSseEvent> stream = tickStreams.ticks("fetch", sse, count, interval, 0, null, request);
        EventSourceResource.setStreamingHeaders(response);
        return stream;
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadRequestException("the body must be a JSON object with a string \"content\"");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new WebApplicationException("the body must not be larger than " + MAX_BODY_BYTES + " bytes",
                    Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        try {
            JsonNode node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
            if (node != null && node.isObject() && node.path("content").isTextual()) {
                return node;
            }
        } catch (IOException e) {
            throw new BadRequestException("the body is not valid JSON");
        }
        throw new BadRequestException("the body must be a JSON object with a string \"content\"");
    }
}
