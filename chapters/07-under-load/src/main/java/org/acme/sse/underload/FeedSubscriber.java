package org.acme.sse.underload;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One subscriber of the feed, SSE or WebSocket, with its bounded buffer.
 *
 * <p>
 * The policy for a slow subscriber: while its buffer is full, an event is dropped for this subscriber only, and
 * when the buffer has room again the subscriber first gets a {@code gap} event saying how many it missed. The
 * others never wait for it, and the server never holds more than the buffer for it.
 *
 * <p>
 * Everything here runs on the subscriber's own event loop (the feed hands each event over there), so the
 * counters need no locks.
 */
abstract class FeedSubscriber {

    private final ActiveStreams active;
    private long missed;

    FeedSubscriber(ActiveStreams active) {
        this.active = active;
    }

    final void offer(Feed.Event event) {
        if (full()) {
            missed++;
            active.dropped.incrementAndGet();
            return;
        }
        if (missed > 0) {
            writeGap(missed);
            missed = 0;
        }
        write(event);
    }

    /** True while this subscriber's buffer has no room for another event. */
    abstract boolean full();

    abstract void write(Feed.Event event);

    abstract void writeGap(long missed);

    /**
     * The feed over SSE: the event's frame, serialized once by the feed, written as is. The buffer is the
     * connection's write queue (bytes written and not yet taken by the kernel), bounded by
     * {@code setWriteQueueMaxSize}; a write without a completion handler costs Vert.x and Netty no promise and no
     * listener.
     */
    static final class Sse extends FeedSubscriber {
        private final HttpServerResponse response;

        Sse(HttpServerResponse response, int bufferBytes, ActiveStreams active) {
            super(active);
            this.response = response;
            response.setWriteQueueMaxSize(bufferBytes);
        }

        @Override
        boolean full() {
            return !response.closed() && response.writeQueueFull();
        }

        @Override
        void write(Feed.Event event) {
            if (!response.closed()) { // if closed, its close handler is about to remove it
                response.write(event.sseFrame(), null);
            }
        }

        @Override
        void writeGap(long missed) {
            if (!response.closed()) {
                response.write(Buffer.buffer("event: gap\ndata: {\"missed\":" + missed + "}\n\n"), null);
            }
        }
    }

    /**
     * The feed over a WebSocket: the event's JSON as one text message. The buffer is a count of messages sent and
     * not yet written out, from the {@code Uni} that {@code sendText} returns.
     */
    static final class WebSocket extends FeedSubscriber {
        private final WebSocketConnection connection;
        private final int limit;
        private int inFlight;

        WebSocket(WebSocketConnection connection, int limit, ActiveStreams active) {
            super(active);
            this.connection = connection;
            this.limit = limit;
        }

        @Override
        boolean full() {
            return inFlight >= limit;
        }

        @Override
        void write(Feed.Event event) {
            send(event.json());
        }

        @Override
        void writeGap(long missed) {
            send("{\"type\":\"gap\",\"missed\":" + missed + "}");
        }

        private void send(String text) {
            inFlight++;
            connection.sendText(text).subscribe().with(ok -> inFlight--, failure -> inFlight--);
        }
    }
}
