package org.acme.sse.production;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * A stream whose events are made by Vert.x timers, as in chapter 04: the timers are set when Quarkus subscribes,
 * on the event loop that owns the connection, and cancelled however the stream ends. For the ticker of
 * {@code /sse} and the secure streams of the login.
 */
public final class TimerStream {

    /**
     * How many events may wait for a client that reads too slowly. Mutiny allocates a bounded buffer's array in
     * full when the stream starts, so this is memory per stream (512 slots, 2 KiB), whether it is used or not.
     */
    public static final int MAX_WAITING_EVENTS = 512;

    private TimerStream() {
    }

    /** Sets a stream's timers, on the event loop that subscribed, and returns their ids. */
    @FunctionalInterface
    public interface Timers<T> {
        long[] set(Vertx vertx, MultiEmitter<? super T> emitter);
    }

    /**
     * The stream of what {@code timers} emit. {@code events} is the most it will send to a client that reads
     * everything: the buffer needs no more slots than that.
     */
    public static <T> Multi<T> of(long events, Timers<T> timers) {
        return Multi.createFrom().<T>emitter(emitter -> start(emitter, timers),
                // The timers do not wait for the client (chapter 01): the emitter fails rather than drop an event,
                // and the buffer below holds what a slow reader has not taken yet. Bounded: a client that falls
                // MAX_WAITING_EVENTS behind fails its own stream, not the server's memory.
                BackPressureStrategy.ERROR)
                .onOverflow().buffer((int) Math.min(events, MAX_WAITING_EVENTS));
    }

    private static <T> void start(MultiEmitter<? super T> emitter, Timers<T> timers) {
        // Quarkus REST subscribes in the request's Vert.x context, on the event loop that owns the connection, and
        // a Vert.x timer set there fires on that same thread. Anywhere else the timers would land on an arbitrary
        // event loop and every event would cross threads: fail loudly instead.
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            emitter.fail(new IllegalStateException("a timer stream must be subscribed on the connection's event loop"
                    + " (in its Vert.x context), not on " + Thread.currentThread().getName()));
            return;
        }
        Vertx vertx = context.owner();
        long[] set = timers.set(vertx, emitter);
        // Done, failed, or the client went away: each timer leaves the event loop's queue at once (chapter 04).
        // Registered after the timers exist; had the stream already ended, Mutiny runs it now.
        emitter.onTermination(() -> {
            for (long timer : set) {
                vertx.cancelTimer(timer);
            }
        });
    }
}
