package org.acme.sse.production.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is logged in, logging out, and the two credentials a logged-in page can ask for: a stream ticket for
 * EventSource, a bearer token for fetch(). Logging in is Quarkus's own {@code POST /j_security_check}.
 */
@Path("/")
public class LoginResource {

    /** The role a user needs to read the secure streams. */
    public static final String READER = "reader";

    public record Me(String user, Set<String> roles) {
    }

    public record TicketBody(String ticket, Instant expiresAt) {
    }

    // The names of RFC 6749, section 5.1.
    public record TokenBody(String access_token, String token_type, long expires_in) {
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    StreamTickets tickets;

    @Inject
    AccessTokens tokens;

    @GET
    @Path("/me")
    @Authenticated
    public Me me() {
        return new Me(identity.getPrincipal().getName(), identity.getRoles());
    }

    @POST
    @Path("/logout")
    @PermitAll
    public RestResponse<Void> logout(RoutingContext context) {
        if (!identity.isAnonymous()) {
            tokens.revokeAll(identity.getPrincipal().getName());
        }
        // Clears the session cookie in this browser. The cookie is not a server-side session: a copy of it stays
        // valid until it times out (quarkus.http.auth.form.timeout). Streams already open go on: they were
        // authorised when they opened, and end at login.stream-max-lifetime.
        FormAuthenticationMechanism.logout(context);
        return RestResponse.noContent();
    }

    /** A ticket for one EventSource: valid for login.ticket-ttl, and for one use. */
    @POST
    @Path("/stream-tickets")
    @RolesAllowed(READER)
    public RestResponse<TicketBody> streamTicket() {
        StreamTickets.Issued issued = tickets.issue(identity.getPrincipal().getName());
        return RestResponse.ResponseBuilder.ok(new TicketBody(issued.ticket(), issued.expiresAt()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store") // a credential: no cache keeps a copy
                .build();
    }

    /** A bearer token, as an identity provider would issue it (see AccessTokens). */
    @POST
    @Path("/access-tokens")
    @RolesAllowed(READER)
    public RestResponse<TokenBody> accessToken() {
        AccessTokens.Issued issued = tokens.issue(identity.getPrincipal().getName(), identity.getRoles());
        long seconds = Duration.between(Instant.now(), issued.expiresAt()).toSeconds();
        return RestResponse.ResponseBuilder.ok(new TokenBody(issued.token(), "Bearer", seconds))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
