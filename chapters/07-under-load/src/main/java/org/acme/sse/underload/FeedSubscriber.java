package org.acme.sse.underload;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One subscriber of the feed, SSE or WebSocket, with its bounded buffer.
 *
 * <p>
 * The policy for a slow subscriber: at most {@code limit} events may be written and not yet handed to the
 * kernel; an event that finds the buffer full is dropped for this subscriber only, and when the buffer has room
 * again the subscriber first gets a {@code gap} event saying how many it missed. The others never wait for it,
 * and the server never holds more than {@code limit} events for it.
 *
 * <p>
 * Everything here runs on the subscriber's own event loop (the feed hands each event over there), so the
 * counters need no locks.
 */
abstract class FeedSubscriber {

    private final int limit;
    private final ActiveStreams active;
    private int inFlight;
    private long missed;

    FeedSubscriber(int limit, ActiveStreams active) {
        this.limit = limit;
        this.active = active;
    }

    final void offer(Feed.Event event) {
        if (inFlight >= limit) {
            missed++;
            active.dropped.incrementAndGet();
            return;
        }
        if (missed > 0) {
            inFlight++;
            writeGap(missed, this::written);
            missed = 0;
        }
        inFlight++;
        write(event, this::written);
    }

    private void written() {
        inFlight--;
    }

    /** Writes one event and runs {@code written} once its bytes have left for the kernel, or the write failed. */
    abstract void write(Feed.Event event, Runnable written);

    abstract void writeGap(long missed, Runnable written);

    /** The feed over SSE: the event's frame, serialized once by the feed, written as is. */
    static final class Sse extends FeedSubscriber {
        private final HttpServerResponse response;

        Sse(HttpServerResponse response, int limit, ActiveStreams active) {
            super(limit, active);
            this.response = response;
        }

        @Override
        void write(Feed.Event event, Runnable written) {
            if (response.closed()) { // gone, and its close handler is about to remove it
                written.run();
                return;
            }
            response.write(event.sseFrame(), done -> written.run());
        }

        @Override
        void writeGap(long missed, Runnable written) {
            if (response.closed()) {
                written.run();
                return;
            }
            response.write("event: gap\ndata: {\"missed\":" + missed + "}\n\n", done -> written.run());
        }
    }

    /** The feed over a WebSocket: the event's JSON as one text message. */
    static final class WebSocket extends FeedSubscriber {
        private final WebSocketConnection connection;

        WebSocket(WebSocketConnection connection, int limit, ActiveStreams active) {
            super(limit, active);
            this.connection = connection;
        }

        @Override
        void write(Feed.Event event, Runnable written) {
            send(event.json(), written);
        }

        @Override
        void writeGap(long missed, Runnable written) {
            send("{\"type\":\"gap\",\"missed\":" + missed + "}", written);
        }

        private void send(String text, Runnable written) {
            connection.sendText(text).subscribe().with(ok -> written.run(), failure -> written.run());
        }
    }
}
