package org.acme.sse.scaleout;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ResponseHeader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;

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

    // retry: how long the browser waits before it reconnects (and lands, behind a balancer, on any instance).
    @ConfigProperty(name = "feed.retry")
    Duration retry;

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

    /**
     * The shared feed, on any instance: after Last-Event-ID when the browser sends one, else after {@code ?after=}
     * (a new EventSource cannot set the header: the page's "switch instance" passes its last id this way), else
     * from now on. The header wins: EventSource reconnects to the same URL, with a newer Last-Event-ID.
     */
    @GET
    @Path("/feed")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after, @Context Sse sse) {
        EntryId resumePoint = lastEventId != null && !lastEventId.isEmpty()
                ? resumePoint("Last-Event-ID", lastEventId)
                : resumePoint("after", after);
        return feed.follow(resumePoint).map(event -> toSse(event, sse));
    }

    /** How many browsers this instance feeds right now: a client that leaves must bring it down. */
    @GET
    @Path("/subscribers")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> subscribers() {
        return Map.of("instance", instance.name(), "local", feed.localSubscribers());
    }

    private static EntryId resumePoint(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null; // EventSource sends the header only once it has seen an id
        }
        try {
            return EntryId.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(name + " must be a stream entry id such as 1700000000000-0");
        }
    }

    private OutboundSseEvent toSse(FeedEvent event, Sse sse) {
        if (event instanceof FeedEvent.Message message) {
            return sse.newEventBuilder().id(message.id().toString())
                    .data(toJson(new Shown(message.id().toString(), message.fields().get("text"),
                            message.fields().get("via"), message.fields().get("at"))))
                    .build();
        }
        if (event instanceof FeedEvent.Joined joined) {
            // The id: a browser that reconnects before any message still resumes from here, not from "now".
            return sse.newEventBuilder().name("joined").id(joined.after().toString()).reconnectDelay(retry.toMillis())
                    .data(toJson(joined)).build();
        }
        if (event instanceof FeedEvent.Reset reset) {
            return sse.newEventBuilder().name("reset").data(toJson(reset)).build();
        }
        return sse.newEventBuilder().comment(" keep-alive").build();
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

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POST /messages answers with the entry id and the instance that appended it. */
    public record Posted(String id, String instance) {
    }

    /** One message as the browser gets it. */
    public record Shown(String id, String text, String via, String at) {
    }
}
