package org.acme.sse.ssevsws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * The ticker of {@code /sse} over a WebSocket, plus what only a two-way connection can do: the client pauses,
 * resumes and re-times its own stream, and asks for binary data, on the same connection.
 *
 * <p>
 * The protocol is ours to define (RFC 6455 only carries messages): every text message is a JSON object with a
 * {@code type} (server to client) or an {@code action} (client to server).
 * <ul>
 * <li>{@code {"type":"tick","id":N,"time":"...","params":{...}}} for ids {@code from..count-1}, then
 * {@code {"type":"done","lastId":N}} and a normal close (1000);</li>
 * <li>{@code {"type":"state","paused":false,"intervalMs":N}} in answer to pause, resume and rate;</li>
 * <li>{@code {"type":"error","message":"..."}} for a message it does not understand; the stream goes on;</li>
 * <li>one binary message, the 256 sample bytes, in answer to {@code {"action":"binary"}};</li>
 * <li>close 1001 in answer to {@code {"action":"drop"}}, close 1008 for bad query parameters.</li>
 * </ul>
 */
@WebSocket(path = "/ws")
@SessionScoped // one instance per connection: the fields below are this connection's state
public class TickSocket {

    private static final Logger LOG = Logger.getLogger(TickSocket.class);

    /** RFC 6455 §7.4.1: the message (here, the query) violates the endpoint's policy. Retrying will not help. */
    static final int POLICY_VIOLATION = 1008;
    /** RFC 6455 §7.4.1: the server is going away, as on a restart. The client may come back. */
    static final int GOING_AWAY = 1001;

    @Inject
    ObjectMapper json;

    @Inject
    ActiveStreams activeStreams;

    @Inject
    Vertx vertx;

    // Read and written only on this connection's event loop -- the callbacks below are non-blocking, and the
    // Vert.x timers they set fire on the same thread -- so a pause can never race with a tick.
    private WebSocketConnection connection;
    private int intervalMs;
    private boolean paused;
    private long nextId;
    private Cancellable ticking;

    public record TickMessage(String type, long id, Instant time, Map<String, Object> params) {
    }

    public record DoneMessage(String type, long lastId) {
    }

    public record StateMessage(String type, boolean paused, int intervalMs) {
    }

    public record ErrorMessage(String type, String message) {
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        this.connection = connection;
        String rawQuery = Objects.requireNonNullElse(connection.handshakeRequest().query(), "");
        Map<String, List<String>> query = new QueryStringDecoder(rawQuery, false).parameters();
        int count;
        int from;
        try {
            count = QueryParameters.intInRange("count", first(query, "count"), 10, 1, 1000);
            intervalMs = QueryParameters.intInRange("intervalMs", first(query, "intervalMs"), 1000, 10, 60_000);
            from = QueryParameters.intInRange("from", first(query, "from"), 0, 0, count);
        } catch (BadRequestException e) {
            // After the 101 there is no status code left to answer with: the close frame carries the verdict,
            // and the page reads it in CloseEvent.code and .reason. (A refused handshake would only show 1006.)
            return connection.close(new CloseReason(POLICY_VIOLATION, e.getMessage()));
        }
        nextId = from;
        Map<String, Object> params = QueryParameters.asObject(query);

        // The first tick at once, as on /sse; then one timer per tick, so that a new rate applies from the next one.
        Multi<Long> beats = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(0L),
                Multi.createBy().repeating().uni(() -> after(intervalMs)).indefinitely());
        Multi<String> messages = beats
                .select().where(beat -> !paused) // while paused the beat goes on, and no id is used up
                .map(beat -> toJson(new TickMessage("tick", nextId++, Instant.now(), params)))
                .select().first(count - from)
                .onCompletion().continueWith(toJson(new DoneMessage("done", count - 1)));

        // We subscribe ourselves, and keep the subscription to cancel it in @OnClose. (Returning the Multi from
        // @OnOpen would let Quarkus subscribe, but nothing would cancel it when the client leaves: it would stop
        // only when a send fails -- and a paused stream sends nothing, so its timer would run forever.)
        ticking = activeStreams.track(messages.onItem().call(connection::sendText))
                .onCompletion().call(connection::close) // 1000, normal closure: the client has everything
                .subscribe().with(
                        sent -> {
                        },
                        failure -> LOG.debugf("tick stream of %s failed: %s", connection.id(), failure));
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public Uni<Void> control(String message) {
        JsonNode command;
        try {
            command = json.readTree(message);
        } catch (JsonProcessingException e) {
            return send(new ErrorMessage("error", "not JSON; send an object such as {\"action\":\"pause\"}"));
        }
        switch (command.path("action").asText()) {
            case "pause" -> paused = true;
            case "resume" -> paused = false;
            case "rate" -> {
                JsonNode rate = command.path("intervalMs");
                if (!rate.isIntegralNumber() || !rate.canConvertToInt() || rate.intValue() < 10
                        || rate.intValue() > 60_000) {
                    return send(new ErrorMessage("error", "rate needs intervalMs, a whole number between 10 and 60000"));
                }
                intervalMs = rate.intValue();
            }
            case "binary" -> {
                return connection.sendBinary(SampleBytes.get()); // one binary message: opcode 0x2, 256 bytes
            }
            case "drop" -> {
                return connection.close(new CloseReason(GOING_AWAY, "dropped on request"));
            }
            default -> {
                return send(new ErrorMessage("error", "unknown action; use pause, resume, rate, binary or drop"));
            }
        }
        return send(new StateMessage("state", paused, intervalMs));
    }

    @OnClose
    @NonBlocking
    void stopTicking() {
        // Whoever closed -- the client, the network, the server after done or drop -- the stream and its timer stop.
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

    private Uni<Void> send(Object message) {
        return connection.sendText(toJson(message));
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
