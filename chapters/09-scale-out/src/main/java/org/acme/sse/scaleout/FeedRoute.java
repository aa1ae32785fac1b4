package org.acme.sse.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /feed: the shared feed as SSE, on any instance. A plain Vert.x route, as chapter 07's broadcast: each
 * subscriber is a response the feed writes to, with frames it made once for all of them -- there is no
 * per-connection stream to return, and Quarkus REST would build every frame anew for every connection.
 *
 * <p>
 * Where it starts: after Last-Event-ID when the browser sends one, else after {@code ?after=} (a new EventSource
 * cannot set the header: the page's "switch instance" passes its last id this way), else from now on. The header
 * wins: EventSource reconnects to the same URL, with a newer Last-Event-ID.
 */
@ApplicationScoped
public class FeedRoute {

    private static final Logger LOG = Logger.getLogger(FeedRoute.class);

    @Inject
    Feed feed;

    @Inject
    Instance instance;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    // retry: how long the browser waits before it reconnects (and lands, behind a balancer, on any instance).
    @ConfigProperty(name = "feed.retry")
    Duration retry;

    @ConfigProperty(name = "feed.subscriber-buffer")
    int subscriberBuffer;

    @ConfigProperty(name = "feed.subscriber-buffer-bytes")
    int subscriberBufferBytes;

    @ConfigProperty(name = "feed.keep-alive")
    Duration keepAlive;

    void register(@Observes Router router) {
        router.get("/feed").handler(this::subscribe);
        // HEAD: the status and headers a GET would get, and no stream (nobody would read it).
        router.head("/feed").handler(request -> {
            try {
                resumePoint(request);
            } catch (IllegalArgumentException e) {
                problem(request.response(), 400, "Bad Request", e.getMessage());
                return;
            }
            streamHeaders(request.response()).end();
        });
    }

    private void subscribe(RoutingContext request) {
        HttpServerResponse response = request.response();
        EntryId lastEventId;
        try {
            lastEventId = resumePoint(request);
        } catch (IllegalArgumentException e) {
            problem(response, 400, "Bad Request", e.getMessage());
            return;
        }
        if (!feed.ready()) {
            unavailable(response, "the feed has not reached Redis yet");
            return;
        }
        FeedSubscriber subscriber = new FeedSubscriber(response, subscriberBuffer, subscriberBufferBytes, keepAlive);
        feed.join(subscriber); // before the replay is read: see Feed.join
        response.closeHandler(closed -> {
            subscriber.closed();
            feed.leave(subscriber);
        });
        // XINFO and XRANGE block: on a worker. The result comes back here, on the connection's event loop.
        vertx.executeBlocking(() -> feed.replay(lastEventId), false).onComplete(replayed -> {
            if (response.closed() || response.ended()) {
                return;
            }
            if (replayed.failed()) {
                LOG.warnf("reading the replay from Redis failed: %s", replayed.cause().toString());
                subscriber.closed();
                feed.leave(subscriber);
                unavailable(response, "the feed is not reachable right now; try again");
                return;
            }
            Feed.Replay replay = replayed.result();
            // Where this connection starts: its id is the joined event's, so that a browser that reconnects before
            // any message still resumes from here, not from "now".
            EntryId startsAfter = lastEventId == null ? replay.after() : lastEventId;
            List<Buffer> head = new ArrayList<>(2);
            head.add(FeedEvent.frame("joined", startsAfter, retry.toMillis(),
                    toJson(new FeedEvent.Joined(instance.name(), startsAfter))));
            replay.reset().ifPresent(reset -> head.add(FeedEvent.frame("reset", null, null, toJson(reset))));
            streamHeaders(response);
            subscriber.start(head, replay);
        });
    }

    private static HttpServerResponse streamHeaders(HttpServerResponse response) {
        return response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
    }

    /** The entry to resume after; null: from now on. A malformed id: IllegalArgumentException, what to tell. */
    private static EntryId resumePoint(RoutingContext request) {
        String header = request.request().getHeader("Last-Event-ID");
        String name = header != null && !header.isEmpty() ? "Last-Event-ID" : "after";
        String value = header != null && !header.isEmpty() ? header : request.queryParams().get("after");
        if (value == null || value.isEmpty()) {
            return null; // EventSource sends the header only once it has seen an id
        }
        try {
            return EntryId.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be a stream entry id such as 1700000000000-0");
        }
    }

    private void unavailable(HttpServerResponse response, String detail) {
        response.putHeader("Retry-After", "1");
        problem(response, 503, "Service Unavailable", detail);
    }

    /** The same problem body as ProblemMapper gives the REST endpoints. */
    private void problem(HttpServerResponse response, int status, String title, String detail) {
        response.setStatusCode(status).putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                .end(toJson(new ProblemMapper.Problem("about:blank", title, status, detail)));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
