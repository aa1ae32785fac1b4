package org.acme.sse.ssevsws;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a WebSocket handshake that comes from a page of another origin, with a {@code 403} and a problem body,
 * before anything is upgraded.
 *
 * <p>
 * CORS does not protect a WebSocket: the browser opens a socket to any server, from any page, with the cookies
 * it holds for that server, and only tells the server which page asked -- the {@code Origin} header (RFC 6455
 * §10.2). Checking it is the server's job, or any site can talk to this one as its visitors (cross-site
 * WebSocket hijacking). Allowed: the page's own origin (the {@code Origin} is the scheme and {@code Host} of the
 * request), and the origins listed in {@code ticker.websocket.allowed-origins}. A handshake without
 * {@code Origin} is let through: browsers always send one, so it comes from a program (curl, a JDK client), and
 * a program can write any {@code Origin} it likes anyway -- the check protects browsers' users, it does not
 * authenticate clients.
 */
@ApplicationScoped
public class WebSocketOriginCheck {

    @ConfigProperty(name = "ticker.websocket.allowed-origins")
    Optional<List<String>> allowedOrigins;

    @Inject
    ObjectMapper json;

    // A filter, not an HttpUpgradeCheck: WebSockets Next's check can refuse with a status, but not with a body,
    // and every 4xx of this app carries a problem body. A filter runs before every route, the WebSocket ones too.
    void register(@Observes Filters filters) {
        filters.register(this::check, 100);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (!isWebSocketHandshake(request) || origin == null
                || isAllowed(origin, request.scheme(), request.authority())) {
            context.next();
            return;
        }
        String detail = "a WebSocket from a page of origin " + origin + " is not allowed; allowed: the same origin"
                + allowedOrigins.map(list -> " and " + String.join(", ", list)).orElse("");
        context.response().setStatusCode(403)
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
                .end(toJson(new ProblemMapper.Problem("about:blank", "Forbidden", 403, detail)));
    }

    private static boolean isWebSocketHandshake(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    boolean isAllowed(String origin, String requestedScheme, HostAndPort requestedHost) {
        // An Origin is "scheme://host[:port]" (RFC 6454 §7), or "null" for an opaque origin (a sandboxed frame,
        // a file:// page): "null" is never the same origin, and only allowed if listed. Browsers leave the default
        // port out of both Origin and Host. Behind a proxy that terminates TLS, the request that reaches Quarkus is
        // http while the page is https: quarkus.http.proxy.proxy-address-forwarding gives Quarkus the real scheme.
        String trimmed = origin.trim();
        if (requestedScheme != null && requestedHost != null) {
            String own = requestedScheme + "://" + requestedHost.host()
                    + (requestedHost.port() < 0 ? "" : ":" + requestedHost.port());
            if (trimmed.equalsIgnoreCase(own)) {
                return true;
            }
        }
        return allowedOrigins.orElse(List.of()).stream()
                .anyMatch(allowed -> allowed.trim().replaceAll("/+$", "").equalsIgnoreCase(trimmed));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
