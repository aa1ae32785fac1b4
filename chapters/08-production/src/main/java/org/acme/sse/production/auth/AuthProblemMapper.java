package org.acme.sse.production.auth;

import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * A refused login, ticket or token as a short RFC 9457 problem body, never an empty 401 or an HTML login page: a
 * page reads {@code detail} and says what to do.
 */
public class AuthProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

    public record Problem(String type, String title, int status, String detail) {
    }

    @ServerExceptionMapper
    public RestResponse<Problem> ticketRefused(TicketRefusedException e) {
        // A 401 names a scheme the client can use (RFC 9110, section 15.5.2). To open this stream: a ticket.
        return problem(401, "Unauthorized", e.getMessage(), "StreamTicket realm=\"sse\"");
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public RestResponse<Problem> unauthorized(RuntimeException e) {
        return problem(401, "Unauthorized",
                "log in (the session cookie) or send Authorization: Bearer with a valid token", "Bearer realm=\"sse\"");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e) {
        return problem(403, "Forbidden", "this user may not read the stream", null);
    }

    private static RestResponse<Problem> problem(int status, String title, String detail, String challenge) {
        RestResponse.ResponseBuilder<Problem> response = RestResponse.ResponseBuilder.<Problem> create(status)
                .entity(new Problem("about:blank", title, status, detail))
                .type(PROBLEM_JSON);
        if (challenge != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return response.build();
    }
}
