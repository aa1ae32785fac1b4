package org.acme.sse.scaleout;

import java.time.Duration;
import java.util.ArrayDeque;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One local subscriber of the feed: the instance's single Redis reader offers it every new entry, and it passes on
 * those after its cursor (the last id it sent), so that an entry that came both in the replay and live is sent once.
 *
 * <p>Slow-subscriber policy: at most {@code capacity} entries wait for one subscriber (before its replay is written,
 * or while its stream has not asked for them). One more, and its stream ends. Nothing is lost by that: the browser
 * reconnects with its Last-Event-ID, on any instance, and catches up from Redis, which is the real buffer; the other
 * subscribers and the reader never wait for it.
 */
final class Follower {

    private final int capacity;
    private final Duration keepAlive;
    private final ArrayDeque<FeedEvent.Message> waiting = new ArrayDeque<>();
    private MultiEmitter<? super FeedEvent> emitter; // null until the replay is written
    private EntryId cursor = EntryId.ZERO;
    private boolean overflowed;
    private long lastSentNanos = System.nanoTime();

    Follower(int capacity, Duration keepAlive) {
        this.capacity = capacity;
        this.keepAlive = keepAlive;
    }

    /** Called by the reader, in stream order. */
    synchronized void offer(FeedEvent.Message message) {
        if (overflowed) {
            return;
        }
        if (emitter == null) {
            if (waiting.size() >= capacity) {
                overflowed = true;
                waiting.clear();
                return;
            }
            waiting.add(message);
        } else {
            send(message);
        }
    }

    /** Everything up to {@code id} is sent by the replay: a live copy of it is dropped. */
    synchronized void skipThrough(EntryId id) {
        if (id.isAfter(cursor)) {
            cursor = id;
        }
    }

    /** Called by the reader when Redis had nothing new: a comment if this connection was silent for long. */
    synchronized void idle() {
        if (emitter != null && !overflowed && System.nanoTime() - lastSentNanos >= keepAlive.toNanos()) {
            lastSentNanos = System.nanoTime();
            emitter.emit(new FeedEvent.KeepAlive());
        }
    }

    /** The live part, subscribed after the replay: first what waited, then each entry as the reader offers it. */
    Multi<FeedEvent> live() {
        return Multi.createFrom().<FeedEvent>emitter(this::attach, BackPressureStrategy.IGNORE)
                .onOverflow().buffer(capacity)
                // the policy above: end this stream, the client resumes with Last-Event-ID
                .onFailure(BackPressureFailure.class).recoverWithCompletion();
    }

    private synchronized void attach(MultiEmitter<? super FeedEvent> emitter) {
        if (overflowed) {
            emitter.complete();
            return;
        }
        this.emitter = emitter;
        waiting.forEach(this::send);
        waiting.clear();
    }

    private void send(FeedEvent.Message message) {
        if (message.id().isAfter(cursor)) {
            cursor = message.id();
            lastSentNanos = System.nanoTime();
            emitter.emit(message);
        }
    }
}
