package org.acme.sse.ssevsws;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;

/**
 * Counts the tick streams the server is running, SSE and WebSocket alike, as chapter 04 does: a stream counts from
 * its subscription until it completes, fails or is cancelled. A number that does not come back down is a stream
 * (and its timer) that outlived its client.
 */
@ApplicationScoped
public class ActiveStreams {

    private final AtomicInteger active = new AtomicInteger();

    public <T> Multi<T> track(Multi<T> stream) {
        return stream.onSubscription().invoke(active::incrementAndGet)
                .onTermination().invoke(active::decrementAndGet);
    }

    public int active() {
        return active.get();
    }
}
