package org.acme.sse.customevents;

import java.time.Duration;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Multi;

/**
 * A chat answer streamed as text tokens, some of which hold line breaks (a code block): each token is the data
 * of one event, and a value with line breaks must go out as several data: lines.
 */
@Path("/sse/answer")
public class AnswerResource {

    /** The answer, cut into tokens the way a model streams it; some end their lines with CRLF. */
    static final List<String> TOKENS = List.of(
            "Here is a loop in Java:\n\n",
            "```java\r\n",
            "for (int i = 0; i < 3; i++) {\r\n",
            "    System.out.println(i);\r\n",
            "}\r\n```\n",
            "\n",
            "It prints 0, 1 and 2.");

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> answer(@QueryParam("intervalMs") String intervalMs, @Context Sse sse) {
        int interval = QueryParameters.intInRange("intervalMs", intervalMs, 200, 10, 60_000);
        Multi<OutboundSseEvent> tokens = Multi.createFrom().ticks().every(Duration.ofMillis(interval))
                .select().first(TOKENS.size())
                .onOverflow().buffer(TOKENS.size()) // ticks() does not wait for the subscriber: see chapter 01
                .map(n -> sse.newEventBuilder().name("token").data(forDataLines(TOKENS.get(n.intValue()))).build());
        return tokens.onCompletion().continueWith(sse.newEventBuilder().name("done").data("").build());
    }

    /** HEAD: the same check as GET, and no stream that nobody would read (see TickResource#head). */
    @HEAD
    public RestResponse<Void> head(@QueryParam("intervalMs") String intervalMs, @Context Sse sse) {
        answer(intervalMs, sse);
        return RestResponse.ResponseBuilder.<Void>ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    /**
     * Quarkus's SSE writer writes a value with line breaks as several data: lines, each right after the colon.
     * Two things go wrong with text such as code. It starts a new line at every CR and at every LF, so a CRLF
     * would arrive as two line breaks: every line end becomes LF (an event's data can never hold a CR anyway, for
     * the parser a CR is a line end). And the parser removes one space after the colon, so a line indented with
     * spaces would lose one: every line gets one leading space, the one the parser removes.
     */
    static String forDataLines(String text) {
        return " " + text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\n ");
    }
}
