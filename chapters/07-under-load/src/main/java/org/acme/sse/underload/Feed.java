package org.acme.sse.underload;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;

/**
 * The shared feed of {@code /broadcast} and {@code /ws}: one timer, one event every {@code feed.interval}, stamped
 * and serialized once, handed to every subscriber.
 *
 * <p>
 * Subscribers are grouped by the event loop their connection lives on. Each event crosses to each event loop
 * once -- two or four hops per event, not one per subscriber -- and is written there to every connection of that
 * loop, in the loop's own thread, as the connection's own code would.
 */
@ApplicationScoped
public class Feed {

    /** One event of the feed: its JSON (the WebSocket message) and its SSE frame, both made once. */
    record Event(long id, String json, Buffer sseFrame) {
    }

    @Inject
    Vertx vertx;

    @Inject
    ActiveStreams active;

    @ConfigProperty(name = "feed.interval-ms")
    int intervalMs;

    @ConfigProperty(name = "feed.padding")
    int padding;

    /** Per event loop, its subscribers; each set is only read and written on its own event loop. */
    private final Map<Context, Set<FeedSubscriber>> subscribers = new ConcurrentHashMap<>();
    private long nextId;
    private long timer = -1;

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(intervalMs, intervalMs, t -> publish());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }

    private void publish() {
        if (active.broadcast.get() + active.ws.get() == 0) {
            return; // nobody listens: no event, no id used
        }
        long id = nextId++;
        String json = padding == 0 ? Events.json(id)
                : Events.json(id).replaceFirst("}$", ",\"padding\":\"" + "x".repeat(padding) + "\"}");
        Buffer frame = Buffer.buffer(("id: " + id + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        Event event = new Event(id, json, frame);
        subscribers.forEach((loop, ofLoop) -> loop.runOnContext(v -> ofLoop.forEach(s -> s.offer(event))));
    }

    /** Call on the subscriber's event loop (in its request or @OnOpen handler). */
    void add(FeedSubscriber subscriber) {
        subscribers.computeIfAbsent(currentLoop(), loop -> new LinkedHashSet<>()).add(subscriber);
    }

    /** Call on the subscriber's event loop (in its close handler). */
    void remove(FeedSubscriber subscriber) {
        Set<FeedSubscriber> ofLoop = subscribers.get(currentLoop());
        if (ofLoop != null) {
            ofLoop.remove(subscriber);
        }
    }

    private static Context currentLoop() {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            throw new IllegalStateException("feed subscribers are added and removed on their event loop");
        }
        // Quarkus gives each request a duplicated context; the event loop's own context is behind it.
        return context.unwrap();
    }
}
