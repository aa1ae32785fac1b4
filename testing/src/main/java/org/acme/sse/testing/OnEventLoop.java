package org.acme.sse.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Subscribes to a stream the way Quarkus REST does for a request: on an event loop, in its Vert.x context. For the
 * tests of streams whose timers are set on the event loop that subscribed (chapter 04's pattern).
 */
public final class OnEventLoop {

    private OnEventLoop() {
    }

    /** Every item of a stream, the thread each came on, and the event loop's thread that subscribed. */
    public record Recorded<T>(String subscribedOn, List<T> items, List<String> threads) {
    }

    /** Subscribes on an event loop, waits up to {@code timeout} for the stream to complete, and records it. */
    public static <T> Recorded<T> collect(Vertx vertx, Supplier<Multi<T>> stream, Duration timeout) throws Exception {
        CompletableFuture<String> subscribedOn = new CompletableFuture<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        List<T> items = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        vertx.getOrCreateContext().runOnContext(ignored -> {
            subscribedOn.complete(Thread.currentThread().getName());
            stream.get().subscribe().with(item -> {
                items.add(item);
                threads.add(Thread.currentThread().getName());
            }, ended::completeExceptionally, () -> ended.complete(null));
        });
        ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new Recorded<>(subscribedOn.get(), items, threads);
    }

    /**
     * Subscribes on an event loop, waits for the first item, then cancels there, as Quarkus REST does when the
     * connection closes. Keeps no reference to the stream afterwards: a test can then watch what it held be
     * garbage-collected.
     */
    public static void cancelAfterFirst(Vertx vertx, Supplier<? extends Multi<?>> stream, Duration timeout)
            throws Exception {
        Context eventLoop = vertx.getOrCreateContext();
        CompletableFuture<Cancellable> subscribed = new CompletableFuture<>();
        CompletableFuture<Object> first = new CompletableFuture<>();
        eventLoop.runOnContext(ignored -> subscribed.complete(stream.get().subscribe().with(first::complete)));
        first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Cancellable subscription = subscribed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        eventLoop.runOnContext(ignored -> {
            subscription.cancel();
            cancelled.complete(null);
        });
        cancelled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
