package org.acme.sse.scaleout.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.acme.sse.scaleout.EntryId;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One connection following one answer. It keeps a cursor (the last entry id it sent) and, each time it is woken
 * (an entry was appended, or the once-a-second tick), reads what comes after the cursor with XRANGE: an entry is
 * sent once, in stream order, whether it was already there when the connection opened or appended later. No
 * connection holds a blocking XREAD: a browser following an answer costs one short XRANGE per new entry.
 */
final class AnswerFollower {

    private static final Logger LOG = Logger.getLogger(AnswerFollower.class);

    /** Sent when nothing was sent for {@code chat.keep-alive}: a comment line, so that proxies keep the stream. */
    static final Object KEEP_ALIVE = new Object();

    private final ChatAnswers answers;
    private final String answerId;
    private final Duration keepAlive;
    private final AtomicInteger wip = new AtomicInteger(); // wakes not yet served: reads never overlap
    private volatile MultiEmitter<? super Object> emitter;
    private volatile EntryId cursor;
    private volatile long lastSentNanos = System.nanoTime();

    AnswerFollower(ChatAnswers answers, String answerId, EntryId after, Duration keepAlive) {
        this.answers = answers;
        this.answerId = answerId;
        this.cursor = after;
        this.keepAlive = keepAlive;
    }

    String answerId() {
        return answerId;
    }

    void attach(MultiEmitter<? super Object> emitter) {
        this.emitter = emitter;
        wake();
    }

    /** Reads what is new, on a worker thread; a wake during a read makes one more read after it. */
    void wake() {
        if (wip.getAndIncrement() == 0) {
            ChatAnswers.workers().execute(this::drain);
        }
    }

    void tick() {
        wake();
        MultiEmitter<? super Object> current = emitter;
        if (current != null && System.nanoTime() - lastSentNanos >= keepAlive.toNanos()) {
            lastSentNanos = System.nanoTime();
            current.emit(KEEP_ALIVE);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            readOnce();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void readOnce() {
        MultiEmitter<? super Object> current = emitter;
        if (current == null || current.isCancelled()) {
            return;
        }
        try {
            List<AnswerEntry> entries;
            do {
                entries = answers.read(answerId, cursor);
                for (AnswerEntry entry : entries) {
                    cursor = entry.id();
                    lastSentNanos = System.nanoTime();
                    current.emit(entry);
                    if (entry.isLast()) {
                        current.complete();
                        return;
                    }
                }
            } while (!entries.isEmpty());
            if (!answers.exists(answerId)) {
                current.complete(); // expired while followed (only after it ended, or after a long Redis outage)
            }
        } catch (RuntimeException e) {
            // Redis unreachable for a moment: the next wake or tick reads again from the same cursor.
            LOG.debugf("reading answer %s failed (%s)", answerId, e.toString());
        }
    }
}
