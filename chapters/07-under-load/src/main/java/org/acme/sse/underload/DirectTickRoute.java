package org.acme.sse.underload;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /sse-direct: the stream of {@link TickResource}, same parameters, same timer on the connection's event loop,
 * but each frame is written to the response by hand instead of through Quarkus REST's SSE writer, which looks up
 * a MessageBodyWriter and builds the frame anew for every event.
 *
 * <p>
 * A client that does not read: its frames wait in the connection's write queue, bounded by
 * {@code sse.buffer-bytes}. When a tick finds the queue full, the stream pauses until the queue drains: the
 * server holds no more than that for it, and no tick is lost. (Closing the connection instead would not free it:
 * Vert.x closes an HTTP/1.1 connection only once what it queued has been written, and the client is not reading.)
 */
@ApplicationScoped
public class DirectTickRoute {

    @Inject
    Vertx vertx;

    @Inject
    ActiveStreams active;

    @ConfigProperty(name = "sse.buffer-bytes")
    int bufferBytes;

    void register(@Observes Router router) {
        router.get("/sse-direct").handler(this::stream);
    }

    private void stream(RoutingContext request) {
        int interval;
        int total;
        try {
            interval = QueryParameters.intInRange("intervalMs", request.queryParams().get("intervalMs"), 1000, 10, 60_000);
            total = QueryParameters.intInRange("count", request.queryParams().get("count"), 10, 1, 10_000_000);
        } catch (BadRequestException e) {
            // The same problem body as ProblemMapper gives the REST endpoints.
            request.response().setStatusCode(400).putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                    .end(Json.encode(new ProblemMapper.Problem("about:blank", "Bad Request", 400, e.getMessage())));
            return;
        }
        HttpServerResponse response = request.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no")
                .setWriteQueueMaxSize(bufferBytes);
        response.write(": stream\n\n"); // sends the head now, not with the first event

        // This handler runs on the connection's event loop, and so are the timers set here: no hop, no queue.
        new Ticks(response, interval, total).start();
    }

    /**
     * One stream's ticks. Back-pressure by hand: a tick that finds the write queue full stops the timer, and the
     * queue's drain handler starts it again -- what Quarkus REST does for a Multi by asking for the next item
     * only once a write has completed.
     */
    private final class Ticks {
        private final HttpServerResponse response;
        private final int interval;
        private final int total;
        private long next;
        private long timer = -1;
        private boolean finished;

        Ticks(HttpServerResponse response, int interval, int total) {
            this.response = response;
            this.interval = interval;
            this.total = total;
        }

        void start() {
            active.sse.incrementAndGet();
            // Done (the response ended), or the client went away (the connection closed first).
            response.endHandler(ended -> finish());
            response.closeHandler(closed -> finish());
            response.drainHandler(drained -> resume());
            resume();
        }

        private void resume() {
            if (!finished && timer == -1) {
                timer = vertx.setPeriodic(interval, interval, id -> tick());
            }
        }

        private void tick() {
            if (finished) {
                return;
            }
            if (response.writeQueueFull()) {
                pause(); // the client does not read: make no more until the queue drains
                return;
            }
            long n = next++;
            // No completion handler: Vert.x and Netty then make no promise and no listener for the write.
            response.write(frame("id: " + n + "\ndata: " + Events.json(n) + "\n\n"), null);
            if (n + 1 == total) {
                response.end(frame("event: done\ndata: {\"lastId\":" + n + "}\n\n"));
            }
        }

        private void pause() {
            vertx.cancelTimer(timer);
            timer = -1;
        }

        private void finish() {
            if (!finished) {
                finished = true;
                pause();
                active.sse.decrementAndGet();
            }
        }
    }

    private static Buffer frame(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
