package org.acme.sse.scaleout.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publisher of bench.sh: posts a message to {@code POST /messages} at a fixed rate, to each instance in turn,
 * until it is stopped (SIGTERM), then prints what it sent and how long Redis took to acknowledge it.
 *
 * <p>
 * It must not be the bottleneck: each post is sent asynchronously on the tick of a fixed-rate timer, so a slow
 * answer never delays the next message; the summary says whether every tick was sent and acknowledged.
 *
 * <pre>
 * java -cp chapters/09-scale-out/target/test-classes org.acme.sse.scaleout.bench.FeedPublisher \
 *      --rate 10 http://127.0.0.1:9089 http://127.0.0.1:9189
 * </pre>
 */
public final class FeedPublisher {

    private final List<URI> messages;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<Long> postMillis = Collections.synchronizedList(new ArrayList<>());
    private final long startNanos = System.nanoTime();

    private FeedPublisher(List<URI> instances) {
        this.messages = instances.stream().map(instance -> instance.resolve("/messages")).toList();
    }

    private void post() {
        long n = sent.getAndIncrement();
        HttpRequest request = HttpRequest.newBuilder(messages.get((int) (n % messages.size())))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"bench message " + n + "\"}")).build();
        long postedAt = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() == 200) {
                acknowledged.incrementAndGet();
                postMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - postedAt));
            } else {
                failed.incrementAndGet();
                if (failed.get() <= 5) {
                    System.err.println("POST failed: " + (error != null ? error : "HTTP " + response.statusCode()));
                }
            }
        });
    }

    private String summary(long stoppedNanos) {
        double seconds = (stoppedNanos - startNanos) / 1e9;
        List<Long> millis;
        synchronized (postMillis) {
            millis = new ArrayList<>(postMillis);
        }
        Collections.sort(millis);
        String latency = millis.isEmpty() ? "no answer"
                : String.format(Locale.ROOT, "POST answered in p50 %d / p99 %d / max %d ms",
                        millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.99) - 1),
                        millis.get(millis.size() - 1));
        return String.format(Locale.ROOT, "published %,d of %,d sent, %,d failed, in %.1f s (%.2f/s acknowledged); %s",
                acknowledged.get(), sent.get(), failed.get(), seconds, acknowledged.get() / seconds, latency);
    }

    public static void main(String[] args) throws Exception {
        double rate = 10;
        List<URI> instances = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rate")) {
                rate = Double.parseDouble(args[++i]);
            } else {
                instances.add(URI.create(args[i]));
            }
        }
        if (instances.isEmpty() || rate <= 0) {
            System.err.println("usage: FeedPublisher [--rate MESSAGES_PER_SECOND] INSTANCE_URL [INSTANCE_URL...]");
            System.exit(2);
        }
        FeedPublisher publisher = new FeedPublisher(instances);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            timer.shutdownNow();
            long stopped = System.nanoTime();
            try {
                Thread.sleep(1000); // the posts in flight get their answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println(publisher.summary(stopped));
        }));
        timer.scheduleAtFixedRate(publisher::post, 0, Math.round(1e6 / rate), TimeUnit.MICROSECONDS);
        Thread.currentThread().join(); // until SIGTERM
    }
}
