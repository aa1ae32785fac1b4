package org.acme.sse.chat;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The OpenAI API chooses between a stream and one JSON document by the body's {@code "stream"} flag, not by
 * the Accept header: its SDKs send {@code Accept: application/json} for a stream too, and fetch clients often
 * {@code Accept: text/event-stream}. So Accept is not negotiated on this endpoint; without this filter, Quarkus
 * would answer both with 406 Not Acceptable.
 */
public class AcceptHeaderFilter {

    @ServerRequestFilter(preMatching = true)
    public void ignoreAcceptOnCompletions(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().equals("/v1/chat/completions")) {
            request.getHeaders().remove(HttpHeaders.ACCEPT);
        }
    }
}
