package org.acme.sse.fetchstreaming;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;

@Path("/")
public class FetchStreamResource {

    /** A custom request header: something EventSource cannot send, and fetch() can. */
    static final String REQUEST_ID = "X-Request-Id";

    /** What a request body must be. */
    static final String BODY_SHAPE = "the body must be a JSON object with a string \"content\"";

    /** The cookie /whoami reports: a stand-in for a login session. */
    static final String SESSION_COOKIE = "session";

    @Inject
    ObjectMapper json;

    /** A POST with a JSON body, answered with an event stream: what ChatGPT-style APIs do. */
    @POST
    @Path("/fetch-sse")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(byte[] body, UriInfo uriInfo, @HeaderParam(REQUEST_ID) String requestId,
            @Context Sse sse) {
        MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
        int count = QueryParameters.intInRange("count", query.getFirst("count"), 10, 1, 1000);
        int interval = QueryParameters.intInRange("intervalMs", query.getFirst("intervalMs"), 1000, 10, 60_000);
        String content = contentOf(body);
        checkRequestId(requestId);

        Multi<OutboundSseEvent> ticks = ticks(count, interval)
                .map(id -> sse.newEventBuilder()
                        .name("tick")
                        .id(Long.toString(id))
                        .data(toJson(new Tick(id, Instant.now(), content, requestId)))
                        .build());
        OutboundSseEvent done = sse.newEventBuilder().name("done").data(toJson(Map.of("lastId", count - 1))).build();
        return ticks.onCompletion().continueWith(done);
    }

    /**
     * One event that says which session cookie came with the request. EventSource cannot set a header, but it
     * sends the cookies: same-origin always, cross-origin only with withCredentials: true and an answer that
     * allows it (Access-Control-Allow-Origin = the page's origin, Access-Control-Allow-Credentials: true).
     */
    @GET
    @Path("/whoami")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> whoami(@CookieParam(SESSION_COOKIE) String session, @Context Sse sse) {
        return Multi.createFrom().item(sse.newEventBuilder().data(toJson(new WhoAmI(session))).build());
    }

    /**
     * The seed's way, kept to show how its client breaks: bare JSON objects back to back, no framing. Each
     * write carries two objects at once -- what TCP, proxies and HTTP/2 may do to any two writes -- so the
     * failure of a client that parses each chunk on its own shows up every time, not just sometimes.
     */
    @POST
    @Path("/fetch-raw")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.TEXT_PLAIN)
    public Multi<String> raw(byte[] body, UriInfo uriInfo) {
        MultivaluedMap<String, String> query = uriInfo.getQueryParameters();
        int count = QueryParameters.intInRange("count", query.getFirst("count"), 10, 1, 1000);
        int interval = QueryParameters.intInRange("intervalMs", query.getFirst("intervalMs"), 1000, 10, 60_000);
        String content = contentOf(body);
        return ticks((count + 1) / 2, interval)
                .map(pair -> {
                    long first = 2 * pair;
                    String objects = toJson(new Tick(first, Instant.now(), content, null));
                    return first + 1 < count ? objects + toJson(new Tick(first + 1, Instant.now(), content, null)) : objects;
                });
    }

    private static Multi<Long> ticks(int count, int intervalMs) {
        return Multi.createFrom().ticks().every(Duration.ofMillis(intervalMs))
                .select().first(count)
                .onOverflow().buffer(count); // ticks() does not wait for the subscriber: see chapter 01
    }

    /**
     * A POST with no Content-Type at all (or an empty one) is not declared JSON either: 415, as for any other
     * type. (@Consumes alone lets it through: a request without a type matches every @Consumes.)
     */
    @ServerRequestFilter
    public void requireAContentType(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if ("POST".equals(request.getMethod()) && (contentType == null || contentType.isBlank())) {
            throw new NotSupportedException("the body must be sent with Content-Type: application/json");
        }
    }

    /**
     * The body must be a JSON object with a string "content"; the JSON is parsed from the bytes, as UTF-8. (Its
     * size was checked before it was read: see BodyLimit.)
     */
    private String contentOf(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadRequestException(BODY_SHAPE);
        }
        JsonNode node;
        try {
            // Strict: '{"content":"a"} trailing garbage' is not one JSON document (Jackson would stop reading).
            node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadRequestException("the body could not be read");
        }
        if (node == null || !node.isObject() || !node.path("content").isTextual()) {
            throw new BadRequestException(BODY_SHAPE);
        }
        return node.get("content").asText();
    }

    private static void checkRequestId(String requestId) {
        if (requestId != null && !requestId.matches("[\\x21-\\x7e]{1,128}")) {
            throw new BadRequestException(REQUEST_ID + " must be 1 to 128 visible ASCII characters");
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One event's data: its id, when it was sent, the content of the request and the X-Request-Id it carried. */
    public record Tick(long id, Instant time, String content, String requestId) {
    }

    /** The session cookie the request carried, or null. */
    public record WhoAmI(String session) {
    }
}
