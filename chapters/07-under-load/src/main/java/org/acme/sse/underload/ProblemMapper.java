package org.acme.sse.underload;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every HTTP error of this app as a short RFC 9457 problem body, never an HTML page or a stack trace:
 * {@code {"type":"about:blank","title":"Bad Request","status":400,"detail":"count must be ..."}}.
 */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    public RestResponse<Problem> toProblem(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType == null ? "HTTP " + status : statusType.getReasonPhrase();
        return RestResponse.ResponseBuilder.<Problem>create(status)
                .entity(new Problem("about:blank", title, status, e.getMessage()))
                .type(PROBLEM_JSON)
                .build();
    }

    public record Problem(String type, String title, int status, String detail) {
    }
}
