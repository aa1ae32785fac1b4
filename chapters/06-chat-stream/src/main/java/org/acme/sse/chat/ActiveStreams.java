package org.acme.sse.chat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;

/**
 * Counts the answers being generated (or proxied) right now, as chapter 04 counted its streams: the Mutiny
 * termination hooks are the one place that sees every way an answer ends.
 */
@ApplicationScoped
public class ActiveStreams {

    private static final Logger LOG = Logger.getLogger(ActiveStreams.class);

    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** What GET /streams answers. */
    public record Counts(int active, long started, long completed, long cancelled, long failed) {
    }

    public Counts counts() {
        return new Counts(active.get(), started.get(), completed.get(), cancelled.get(), failed.get());
    }

    /** The answer counts as active from its subscription until it completes, fails or is cancelled. */
    public <T> Multi<T> track(String kind, Multi<T> answer) {
        return answer
                .onSubscription().invoke(() -> {
                    active.incrementAndGet();
                    LOG.debugf("answer %d (%s) started", started.incrementAndGet(), kind);
                })
                .onCompletion().invoke(() -> {
                    completed.incrementAndGet();
                    LOG.debugf("answer (%s) completed", kind);
                })
                .onFailure().invoke(failure -> {
                    failed.incrementAndGet();
                    LOG.debugf("answer (%s) failed: %s", kind, failure.toString());
                })
                // Quarkus cancels the subscription when the connection closes: Stop, a closed tab, a cut network.
                .onCancellation().invoke(() -> {
                    cancelled.incrementAndGet();
                    LOG.debugf("answer (%s) cancelled: the client went away", kind);
                })
                .onTermination().invoke(active::decrementAndGet);
    }
}
