package org.acme.sse.scaleout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * One browser's connection to the feed. The instance's single Redis reader hands it every new entry (on the
 * connection's event loop, where everything here runs: no locks), and it writes those after its cursor -- the last
 * id it wrote -- so that an entry that came both in the replay and live is sent once.
 *
 * <p>
 * Slow-subscriber policy: what waits for one connection is bounded twice. The connection's write queue holds at
 * most {@code feed.subscriber-buffer-bytes} written and not yet taken by its socket; while it is full, entries wait
 * here, at most {@code feed.subscriber-buffer} of them. One more, and the stream ends. Nothing is lost by that: the
 * browser reconnects with its Last-Event-ID, on any instance, and catches up from Redis, which is the real buffer;
 * the other subscribers and the reader never wait for it.
 */
public final class FeedSubscriber {

    private final HttpServerResponse response;
    private final int capacity;
    private final long keepAliveNanos;
    private final ArrayDeque<FeedEvent.Message> waiting = new ArrayDeque<>();
    private boolean started; // false until the replay is written
    private boolean ended;
    private EntryId cursor = EntryId.ZERO;
    private long lastWriteNanos = System.nanoTime();

    FeedSubscriber(HttpServerResponse response, int capacity, int bufferBytes, Duration keepAlive) {
        this.response = response;
        this.capacity = capacity;
        this.keepAliveNanos = keepAlive.toNanos();
        response.setWriteQueueMaxSize(bufferBytes);
        response.drainHandler(drained -> writeWaiting());
    }

    /**
     * The replay is read: writes the head (joined, maybe reset) and the replayed entries, then what came live in
     * the meantime, after them.
     */
    void start(List<Buffer> head, Feed.Replay replay) {
        if (ended) {
            return;
        }
        head.forEach(frame -> response.write(frame, null));
        cursor = replay.after();
        replay.messages().forEach(this::write);
        started = true;
        writeWaiting();
    }

    /** Called by the feed with each batch the reader got, in stream order; an empty one when Redis had nothing. */
    void offer(List<FeedEvent.Message> messages, long nowNanos) {
        if (ended) {
            return;
        }
        for (FeedEvent.Message message : messages) {
            if (started && waiting.isEmpty() && !response.writeQueueFull()) {
                write(message);
            } else if (waiting.size() < capacity) {
                waiting.add(message);
            } else {
                end(); // the policy above: the client resumes with Last-Event-ID
                return;
            }
        }
        if (started && waiting.isEmpty() && nowNanos - lastWriteNanos >= keepAliveNanos) {
            lastWriteNanos = nowNanos;
            response.write(FeedEvent.KEEP_ALIVE, null);
        }
    }

    /** True once this subscriber is done: its client left, or it fell too far behind. */
    boolean ended() {
        return ended;
    }

    /** The client left (the connection closed): nothing more is written. */
    void closed() {
        ended = true;
        waiting.clear();
    }

    private void writeWaiting() {
        while (started && !ended && !waiting.isEmpty() && !response.writeQueueFull()) {
            write(waiting.poll());
        }
    }

    private void write(FeedEvent.Message message) {
        if (message.id().isAfter(cursor)) {
            cursor = message.id();
            lastWriteNanos = System.nanoTime();
            // No completion handler: Vert.x and Netty then make no promise and no listener for the write.
            response.write(message.frame(), null);
        }
    }

    private void end() {
        ended = true;
        waiting.clear();
        // After what is queued: a client that reads again gets it all, then the end of the response, and
        // EventSource reconnects. (Closing the connection would not free it sooner: Vert.x closes an HTTP/1.1
        // connection only once what it queued has been written.)
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }
}
