package org.acme.sse.abort;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The clock of every stream's timers: ticks, keep-alives, the maximum duration.
 *
 * Why not Mutiny's default? A cancelled timer task stays in a ScheduledThreadPoolExecutor's queue, with
 * everything it references, until the time it was due -- unless the executor removes cancelled tasks at once.
 * For a 10-minute limit on a stream whose client left after 1 second, that is 10 minutes of a dead stream's
 * objects per abort. StreamBenchmark measured it: about 9 KiB per aborted stream, held until its timer was due.
 */
@ApplicationScoped
public class Timers {

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "stream-timers");
        thread.setDaemon(true);
        return thread;
    });

    public Timers() {
        executor.setRemoveOnCancelPolicy(true);
    }

    public ScheduledExecutorService executor() {
        return executor;
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
