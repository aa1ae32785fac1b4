package org.acme.sse.scaleout;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;

/** POST /messages appends to the shared feed; GET /subscribers says how many browsers this instance feeds. GET /feed: FeedRoute. */
@Path("")
public class FeedResource {

    private static final Logger LOG = Logger.getLogger(FeedResource.class);

    @Inject
    Feed feed;

    @Inject
    Instance instance;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "feed.max-body-size")
    MemorySize maxBodySize;

    @ConfigProperty(name = "feed.max-text-length")
    int maxTextLength;

    /** Appends {@code {"text": "..."}} to the shared feed and answers with its entry id once Redis has it. */
    @POST
    @Path("/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Posted post(byte[] body) {
        String text = textOf(body);
        try {
            return new Posted(feed.append(text).toString(), instance.name());
        } catch (RuntimeException e) {
            LOG.warnf("XADD failed: %s", e.toString());
            throw new ServiceUnavailableException("the feed is not reachable right now; try again",
                    Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "1").build());
        }
    }

    /** How many browsers this instance feeds right now: a client that leaves must bring it down. */
    @GET
    @Path("/subscribers")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> subscribers() {
        return Map.of("instance", instance.name(), "local", feed.localSubscribers());
    }

    /** The body must be a JSON object with a string "text" of 1 to feed.max-text-length characters. */
    private String textOf(byte[] body) {
        if (body != null && body.length > maxBodySize.asLongValue()) {
            throw new WebApplicationException("the body must not be larger than " + maxBodySize.asLongValue() + " bytes",
                    Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        if (body == null || body.length == 0) {
            throw new BadRequestException("the body must be a JSON object with a string \"text\"");
        }
        JsonNode node;
        try {
            node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadRequestException("the body could not be read");
        }
        if (node == null || !node.isObject() || !node.path("text").isTextual()) {
            throw new BadRequestException("the body must be a JSON object with a string \"text\"");
        }
        String text = node.get("text").asText();
        if (text.isBlank() || text.codePointCount(0, text.length()) > maxTextLength) {
            throw new BadRequestException("\"text\" must have 1 to " + maxTextLength + " characters, not only spaces");
        }
        return text;
    }

    /** POST /messages answers with the entry id and the instance that appended it. */
    public record Posted(String id, String instance) {
    }
}
