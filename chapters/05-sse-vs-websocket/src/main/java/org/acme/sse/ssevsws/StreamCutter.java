package org.acme.sse.ssevsws;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Lets the page cut the streams that are running, the way a flaky network would, so the reader can watch
 * EventSource reconnect and resume.
 */
@ApplicationScoped
public class StreamCutter {

    private final BroadcastProcessor<Integer> cuts = BroadcastProcessor.create();
    private final AtomicInteger listening = new AtomicInteger();

    /** For one stream: emits an item each time the streams are cut. */
    Multi<Integer> cuts() {
        return cuts.onSubscription().invoke(listening::incrementAndGet)
                .onTermination().invoke(listening::decrementAndGet);
    }

    /** Cuts every running stream; returns how many there were. */
    int cutAll() {
        int running = listening.get();
        cuts.onNext(running);
        return running;
    }
}
