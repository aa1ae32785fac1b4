package org.acme.sse.underload;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /broadcast: the shared feed as SSE. A plain Vert.x route, because each subscriber is a response we write
 * to from the feed -- there is no per-connection stream to return.
 */
@ApplicationScoped
public class BroadcastRoute {

    @Inject
    Feed feed;

    @Inject
    ActiveStreams active;

    @ConfigProperty(name = "feed.subscriber-buffer-bytes")
    int bufferBytes;

    void register(@Observes Router router) {
        router.get("/broadcast").handler(this::subscribe);
    }

    private void subscribe(RoutingContext request) {
        HttpServerResponse response = request.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": subscribed\n\n"); // sends the head now, not with the first event
        FeedSubscriber subscriber = new FeedSubscriber.Sse(response, bufferBytes, active);
        active.broadcast.incrementAndGet();
        feed.add(subscriber);
        response.closeHandler(closed -> {
            feed.remove(subscriber);
            active.broadcast.decrementAndGet();
        });
    }
}
