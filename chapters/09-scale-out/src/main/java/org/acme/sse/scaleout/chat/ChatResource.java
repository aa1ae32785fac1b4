package org.acme.sse.scaleout.chat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.acme.sse.scaleout.EntryId;
import org.acme.sse.scaleout.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/**
 * Durable chat answers: {@code POST /chat} starts one on this instance, {@code GET /chat/{answerId}/stream} replays
 * and follows it on any instance, {@code POST /chat/{answerId}/stop} stops it wherever it is generated.
 */
@Path("/chat")
public class ChatResource {

    @Inject
    ChatAnswers answers;

    @Inject
    Instance instance;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "chat.max-body-size")
    MemorySize maxBodySize;

    @ConfigProperty(name = "chat.max-prompt-length")
    int maxPromptLength;

    @ConfigProperty(name = "chat.retry")
    Duration retry;

    /** {@code {"prompt": "..."}}: 201 with the answer id, once the answer's stream exists in Redis. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<Started> start(byte[] body) {
        String prompt = promptOf(body);
        String answerId;
        try {
            answerId = answers.start(prompt);
        } catch (ChatAnswers.TooBusy e) {
            throw new ServiceUnavailableException(e.getMessage(),
                    Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "1").build());
        }
        String stream = "/chat/" + answerId + "/stream";
        return RestResponse.ResponseBuilder.<Started>created(URI.create(stream))
                .entity(new Started(answerId, instance.name(), stream)).build();
    }

    /**
     * The answer as an event stream, on any instance: its entries after Last-Event-ID (or {@code ?after=}, for a
     * page that resumes on a new EventSource, which cannot set the header), live until {@code done} or
     * {@code stopped}, then the end. Asked again after that last event, it answers 204, which per the HTML Standard
     * tells EventSource to stop reconnecting.
     */
    @GET
    @Path("/{answerId}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @Blocking // the checks below ask Redis before the 200 is written
    public Multi<OutboundSseEvent> stream(@PathParam("answerId") String answerId,
            @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") String after, @Context Sse sse) {
        EntryId resumePoint = lastEventId != null && !lastEventId.isEmpty()
                ? resumePoint("Last-Event-ID", lastEventId)
                : resumePoint("after", after);
        AnswerEntry last = isAnswer(answerId) ? answers.last(answerId).orElse(null) : null;
        if (last == null) {
            throw new NotFoundException("no answer " + answerId + ": it never existed or it expired");
        }
        if (!resumePoint.equals(EntryId.ZERO) && !answers.hasEntry(answerId, resumePoint)) {
            throw new BadRequestException("Last-Event-ID " + resumePoint + " is not an event of this answer");
        }
        if (last.isLast() && !last.id().isAfter(resumePoint)) {
            throw new NothingMore();
        }
        // The first event names the instance serving this connection; its id is the resume point, so that the
        // browser's last event id stays what it was (a new connection starts with an empty id buffer).
        OutboundSseEvent connected = sse.newEventBuilder().name("connected").id(resumePoint.toString())
                .reconnectDelay(retry.toMillis()).data(toJson(Map.of("instance", instance.name()))).build();
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(connected),
                answers.follow(answerId, resumePoint).map(item -> toSse(item, sse)));
    }

    /** Stops the answer wherever it is generated; what was written stays. Answers its state: stopped, or done. */
    @POST
    @Path("/{answerId}/stop")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> stop(@PathParam("answerId") String answerId) {
        if (!isAnswer(answerId)) {
            throw new NotFoundException("no answer " + answerId + ": it never existed or it expired");
        }
        try {
            return Map.of("answerId", answerId, "state", answers.stop(answerId));
        } catch (ChatAnswers.UnknownAnswer e) {
            throw new NotFoundException(e.getMessage());
        }
    }

    /** What this instance does right now: answers generated here, connections following one here. */
    @GET
    @Path("/activity")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> activity() {
        return answers.activity();
    }

    /** 204 No Content: the answer has ended and the client has seen its last event. */
    @ServerExceptionMapper
    public RestResponse<Void> nothingMore(NothingMore e) {
        return RestResponse.noContent();
    }

    private static boolean isAnswer(String answerId) {
        return ChatAnswers.isAnswerId(answerId);
    }

    private static EntryId resumePoint(String name, String value) {
        if (value == null || value.isEmpty()) {
            return EntryId.ZERO; // from the start
        }
        try {
            return EntryId.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(name + " must be a stream entry id such as 1700000000000-0");
        }
    }

    private OutboundSseEvent toSse(Object item, Sse sse) {
        if (!(item instanceof AnswerEntry entry)) {
            return sse.newEventBuilder().comment(" keep-alive").build();
        }
        Map<String, String> fields = entry.fields();
        Object data = switch (entry.type()) {
            case "started" -> Map.of("instance", fields.get("instance"), "prompt", fields.get("prompt"));
            case "chunk" -> Map.of("text", fields.get("text"));
            case "stopped" -> Map.of("by", fields.get("by"), "reason", fields.get("reason"));
            default -> Map.of("by", fields.getOrDefault("by", ""));
        };
        return sse.newEventBuilder().name(entry.type()).id(entry.id().toString()).data(toJson(data)).build();
    }

    /** The body must be a JSON object with a string "prompt" of 1 to chat.max-prompt-length characters. */
    private String promptOf(byte[] body) {
        if (body != null && body.length > maxBodySize.asLongValue()) {
            throw new WebApplicationException("the body must not be larger than " + maxBodySize.asLongValue() + " bytes",
                    Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null
                    : json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (java.io.IOException e) {
            throw new BadRequestException("the body is not valid JSON");
        }
        if (node == null || !node.isObject() || !node.path("prompt").isTextual()) {
            throw new BadRequestException("the body must be a JSON object with a string \"prompt\"");
        }
        String prompt = node.get("prompt").asText();
        if (prompt.isBlank() || prompt.codePointCount(0, prompt.length()) > maxPromptLength) {
            throw new BadRequestException("\"prompt\" must have 1 to " + maxPromptLength + " characters, not only spaces");
        }
        return prompt;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What POST /chat answers: the answer id, the instance generating it, and where to follow it. */
    public record Started(String answerId, String instance, String stream) {
    }

    /** The client already has the answer's last event. */
    static final class NothingMore extends RuntimeException {
        NothingMore() {
            super(null, null, false, false);
        }
    }
}
