package org.acme.sse.production.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opaque bearer tokens, so that this chapter runs on its own. In production your identity provider issues them
 * (OpenID Connect: quarkus-oidc checks them); what matters here is only that a fetch() client sends one in the
 * Authorization header, and an EventSource cannot.
 */
@ApplicationScoped
public class AccessTokens {

    public record Issued(String token, Instant expiresAt) {
    }

    /** Who a token stands for. */
    public record Holder(String user, Set<String> roles, Instant expiresAt) {
    }

    private final LoginConfig config;
    private final Map<String, Holder> holders = new ConcurrentHashMap<>(); // SHA-256 of the token -> holder

    AccessTokens(LoginConfig config) {
        this.config = config;
    }

    public Issued issue(String user, Set<String> roles) {
        Instant now = Instant.now();
        holders.values().removeIf(holder -> holder.expiresAt().isBefore(now));
        String token = Secrets.newSecret();
        Instant expiresAt = now.plus(config.accessTokenTtl());
        holders.put(Secrets.key(token), new Holder(user, Set.copyOf(roles), expiresAt));
        return new Issued(token, expiresAt);
    }

    /** The holder of a token that is known and not expired. */
    public Optional<Holder> holder(String token) {
        Holder holder = holders.get(Secrets.key(token));
        return holder == null || Instant.now().isAfter(holder.expiresAt()) ? Optional.empty() : Optional.of(holder);
    }

    /** Logging out ends the user's bearer tokens too. */
    public void revokeAll(String user) {
        holders.values().removeIf(holder -> holder.user().equals(user));
    }
}
