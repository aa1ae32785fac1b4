package org.acme.sse.production.auth;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Short-lived, single-use tickets that let an EventSource open a stream for a user who authenticated elsewhere
 * (EventSource cannot send an Authorization header, and a URL ends up in logs). Kept in memory: with several
 * instances behind a load balancer they would live in a shared store such as Redis.
 */
@ApplicationScoped
public class StreamTickets {

    /** A ticket as the client gets it. */
    public record Issued(String ticket, Instant expiresAt) {
    }

    private record Entry(String user, Instant expiresAt, boolean used) {
    }

    private final LoginConfig config;
    // SHA-256 of the ticket -> entry. Used and expired entries stay one more lifetime, so that a second try can be
    // told "already used" or "expired" rather than "unknown"; then they are dropped.
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    StreamTickets(LoginConfig config) {
        this.config = config;
    }

    public Issued issue(String user) {
        Instant now = Instant.now();
        entries.values().removeIf(entry -> entry.expiresAt().plus(config.ticketTtl()).isBefore(now));
        String ticket = Secrets.newSecret();
        Instant expiresAt = now.plus(config.ticketTtl());
        entries.put(Secrets.key(ticket), new Entry(user, expiresAt, false));
        return new Issued(ticket, expiresAt);
    }

    /**
     * The user a ticket was issued to; the ticket is spent. Atomic: of two requests with the same ticket, one
     * gets the stream and the other a refusal, however close together they come.
     */
    public String redeem(String ticket) {
        if (ticket == null || ticket.isBlank()) {
            throw new TicketRefusedException("a stream ticket is required: POST /stream-tickets, then open the stream with ?ticket=");
        }
        Entry[] before = new Entry[1];
        entries.computeIfPresent(Secrets.key(ticket), (key, entry) -> {
            before[0] = entry;
            return entry.used() ? entry : new Entry(entry.user(), entry.expiresAt(), true);
        });
        Entry entry = before[0];
        if (entry == null) {
            throw new TicketRefusedException("unknown stream ticket");
        }
        if (entry.used()) {
            throw new TicketRefusedException("stream ticket already used: get a new one");
        }
        if (Instant.now().isAfter(entry.expiresAt())) {
            throw new TicketRefusedException("stream ticket expired: get a new one");
        }
        return entry.user();
    }
}
