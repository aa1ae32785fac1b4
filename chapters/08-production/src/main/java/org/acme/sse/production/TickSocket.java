package org.acme.sse.production;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * The ticker over a WebSocket, as in chapter 05 without its controls: {@code {"type":"tick","id":N,"time":...}}
 * for ids 0..count-1, then {@code {"type":"done","lastId":N}} and a normal close (1000). Between messages the
 * socket is silent but for the server's pings ({@code quarkus.websockets-next.server.auto-ping-interval}), which
 * is what a proxy's idle timeout sees.
 */
@WebSocket(path = "/ws")
@SessionScoped // one instance per connection
public class TickSocket {

    /** RFC 6455 §7.4.1: the message (here, the query) violates the endpoint's policy. */
    static final int POLICY_VIOLATION = 1008;

    @Inject
    ObjectMapper json;

    @Inject
    ActiveStreams activeStreams;

    @Inject
    Vertx vertx;

    private Cancellable ticking;

    public record TickMessage(String type, long id, Instant time) {
    }

    public record DoneMessage(String type, long lastId) {
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        String rawQuery = Objects.requireNonNullElse(connection.handshakeRequest().query(), "");
        Map<String, List<String>> query = new QueryStringDecoder(rawQuery, false).parameters();
        int count;
        int interval;
        try {
            count = QueryParameters.intInRange("count", first(query, "count"), 10, 1, 10_000);
            interval = QueryParameters.intInRange("intervalMs", first(query, "intervalMs"), 1000, 10, 60_000);
        } catch (BadRequestException e) {
            // After the 101 the close frame carries the verdict: the page reads CloseEvent.code and .reason.
            return connection.close(new CloseReason(POLICY_VIOLATION, e.getMessage()));
        }
        // The first tick at once, then one Vert.x timer per tick, as in chapter 05: set on this connection's event
        // loop, after the previous message is sent. Nothing waits in a buffer: a slow reader delays the next tick.
        Multi<String> messages = Multi.createFrom().range(0, count)
                .onItem().call(id -> id == 0 ? Uni.createFrom().voidItem() : after(interval))
                .map(id -> toJson(new TickMessage("tick", id, Instant.now())))
                .onCompletion().continueWith(toJson(new DoneMessage("done", count - 1)));
        // Subscribed here and cancelled in @OnClose, so that the timer stops whenever the socket closes.
        ticking = activeStreams.track(messages.onItem().call(connection::sendText))
                .onCompletion().call(connection::close) // 1000, normal closure: the client has everything
                .subscribe().with(sent -> {
                }, failure -> {
                });
        return Uni.createFrom().voidItem();
    }

    @OnClose
    @NonBlocking
    void stopTicking() {
        if (ticking != null) {
            ticking.cancel();
        }
    }

    /** A Vert.x timer as a Uni. Set on this connection's event loop, it fires there; cancelling the Uni cancels it. */
    private Uni<Long> after(int delayMs) {
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(delayMs, emitter::complete);
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
