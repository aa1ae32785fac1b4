package org.acme.sse.abort;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;

/**
 * Counts the streams the server is producing, and refuses new ones beyond a limit. Every stream of the app goes
 * through {@link #track}: the Mutiny termination hooks are the one place that sees every way a stream ends.
 */
@ApplicationScoped
public class ActiveStreams {

    private static final Logger LOG = Logger.getLogger(ActiveStreams.class);

    @ConfigProperty(name = "streams.max-concurrent")
    int maxConcurrent;

    @ConfigProperty(name = "streams.retry-after")
    Duration retryAfter;

    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** What GET /streams answers. */
    public record Counts(int active, long started, long completed, long cancelled, long failed, int maxConcurrent) {
    }

    public Counts counts() {
        return new Counts(active.get(), started.get(), completed.get(), cancelled.get(), failed.get(), maxConcurrent);
    }

    /**
     * Admits a stream, or throws 503 with Retry-After when {@code streams.max-concurrent} are running. The stream
     * counts as active from here -- an instant before Quarkus subscribes -- until it completes, fails or is
     * cancelled.
     */
    public <T> Multi<T> track(String kind, Multi<T> stream) {
        if (active.incrementAndGet() > maxConcurrent) {
            active.decrementAndGet();
            throw new ServiceUnavailableException("too many streams (" + maxConcurrent + "), try again later",
                    retryAfter.toSeconds());
        }
        long id = started.incrementAndGet();
        LOG.debugf("stream %d (%s) started", id, kind);
        return stream
                .onCompletion().invoke(() -> {
                    completed.incrementAndGet();
                    LOG.debugf("stream %d (%s) completed", id, kind);
                })
                .onFailure().invoke(failure -> {
                    failed.incrementAndGet();
                    LOG.debugf("stream %d (%s) failed: %s", id, kind, failure);
                })
                // Quarkus cancels the subscription when it notices that the connection is closed: the client
                // called close() or abort(), the tab closed, the network dropped, a timeout fired.
                .onCancellation().invoke(() -> {
                    cancelled.incrementAndGet();
                    LOG.debugf("stream %d (%s) cancelled: the client went away", id, kind);
                })
                .onTermination().invoke(active::decrementAndGet);
    }
}
