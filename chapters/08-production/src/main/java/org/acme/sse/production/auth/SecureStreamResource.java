package org.acme.sse.production.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.acme.sse.production.TickResource;
import org.acme.sse.production.TimerStream;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;

/**
 * One stream, three ways in: a ticket in the URL (EventSource), the session cookie (EventSource, same origin or
 * withCredentials), a bearer token in a header (fetch). Each is checked once, when the stream opens.
 */
@Path("/secure")
public class SecureStreamResource {

    public record Tick(long n, String user, String via, Instant endsAt) {
    }

    public record Reauth(String detail) {
    }

    public record OpenStreams(int open) {
    }

    @Inject
    LoginConfig config;

    @Inject
    StreamTickets tickets;

    @Inject
    SecurityIdentity identity;

    @Inject
    ObjectMapper json;

    // Secure streams running now: one that the client leaves must stop (its ticks cancelled), not run to its end.
    private static final AtomicInteger open = new AtomicInteger();

    /** EventSource('/secure/sse?ticket=...'): the ticket is spent here, before the stream starts. */
    @GET
    @Path("/sse")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @PermitAll
    public Multi<OutboundSseEvent> withTicket(@RestQuery String ticket, @Context Sse sse, HttpServerResponse response) {
        String user = tickets.redeem(ticket); // a refused ticket throws: 401 and a problem body, no stream
        TickResource.setProxyHeaders(response);
        return events(user, "ticket", sse);
    }

    /** EventSource('/secure/session-sse'): the browser sends the session cookie by itself. */
    @GET
    @Path("/session-sse")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(LoginResource.READER)
    public Multi<OutboundSseEvent> withSession(@Context Sse sse, HttpServerResponse response) {
        TickResource.setProxyHeaders(response);
        return events(identity.getPrincipal().getName(), "session", sse);
    }

    /** fetch() with Authorization: Bearer (or the cookie), read with web-lib's fetchEventStream. */
    @POST
    @Path("/fetch-sse")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(LoginResource.READER)
    public Multi<OutboundSseEvent> withHeader(@Context Sse sse, HttpServerResponse response) {
        TickResource.setProxyHeaders(response);
        return events(identity.getPrincipal().getName(), "header", sse);
    }

    @GET
    @Path("/open-streams")
    @RolesAllowed(LoginResource.READER)
    public OpenStreams openStreams() {
        return new OpenStreams(open.get());
    }

    /**
     * Ticks until the stream's maximum lifetime, then a {@code reauth} event and the end of the response, all from
     * Vert.x timers on the connection's event loop (TimerStream). Nothing re-checks the user while the stream runs:
     * a logout, an expired session or a revoked token take effect at the next open, which this limit makes come.
     */
    private Multi<OutboundSseEvent> events(String user, String via, Sse sse) {
        Duration lifetime = config.streamMaxLifetime();
        Duration interval = config.tickInterval();
        Instant endsAt = Instant.now().plus(lifetime);
        OutboundSseEvent reauth = sse.newEventBuilder().name("reauth")
                .data(toJson(new Reauth("this stream reached its maximum lifetime of " + lifetime.toSeconds()
                        + " s: authenticate again to go on")))
                .build();
        long events = lifetime.dividedBy(interval) + 2; // a tick at once, one per interval, and reauth
        Multi<OutboundSseEvent> stream = TimerStream.of(events, (vertx, emitter) -> {
            long[] n = { 0 };
            Runnable tick = () -> emitter.emit(
                    sse.newEventBuilder().name("tick").data(toJson(new Tick(n[0]++, user, via, endsAt))).build());
            tick.run(); // the first tick at once: the page shows the stream is live
            long ticking = vertx.setPeriodic(interval.toMillis(), timer -> tick.run());
            long ending = vertx.setTimer(lifetime.toMillis(), timer -> {
                emitter.emit(reauth);
                emitter.complete();
            });
            return new long[] { ticking, ending };
        });
        return stream.onSubscription().invoke(open::incrementAndGet).onTermination().invoke(open::decrementAndGet);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
