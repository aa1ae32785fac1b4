package org.acme.sse.production;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;

/**
 * How many streams (SSE and WebSocket) are running on the server. A proxy in between must not keep one alive
 * after its client has gone: this count says whether it does.
 */
@ApplicationScoped
public class ActiveStreams {

    private final AtomicInteger active = new AtomicInteger();

    /** The stream, counted from subscription until it completes, fails or is cancelled. */
    <T> Multi<T> track(Multi<T> stream) {
        return stream.onSubscription().invoke(active::incrementAndGet)
                .onTermination().invoke(active::decrementAndGet);
    }

    public int active() {
        return active.get();
    }
}
