package org.acme.sse.abort;

import static org.acme.sse.abort.ServerCounts.active;
import static org.acme.sse.abort.ServerCounts.awaitActive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Measurements, not tests: not run by ./mvnw verify (Surefire runs *Test classes only). Run it with
 *
 * <pre>
 * ./mvnw verify -pl chapters/04-abort -am -Dtest=StreamBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read the figures it prints. The app and the benchmark share one JVM (a @QuarkusTest), so the heap
 * figures are the server's heap plus the clients'; the clients hold no events, only counters.
 */
@QuarkusTest
@TestProfile(StreamBenchmark.ManyStreams.class)
class StreamBenchmark {

    public static class ManyStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streams.max-concurrent", "1000", "quarkus.log.category.\"org.acme.sse.abort\".level", "INFO");
        }
    }

    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void openAbortCyclesLeaveNothingBehind() {
        int cycles = 3000;
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=100000&intervalMs=10"))) {
                stream.awaitBodyContaining("event:tick", Duration.ofSeconds(5));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        awaitActive(0, Duration.ofMillis(1500));
        long heapAfter = usedHeapAfterGc();
        System.out.printf("open/abort: %d cycles in %d ms (%.2f ms per cycle); active after: %d; "
                + "heap after GC before: %.1f MiB, after: %.1f MiB (%+.1f MiB)%n",
                cycles, took.toMillis(), took.toMillis() / (double) cycles, active(),
                mib(heapBefore), mib(heapAfter), mib(heapAfter - heapBefore));
    }

    @Test
    void memoryPerOpenStream() {
        int streams = 500;
        long heapBefore = usedHeapAfterGc();
        List<RawHttpStream> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            open.add(RawHttpStream.get(URI.create(sse + "?count=100000&intervalMs=60000")));
        }
        open.forEach(stream -> stream.awaitBodyContaining("event:tick", Duration.ofSeconds(10)));
        long heapWith = usedHeapAfterGc();
        open.forEach(RawHttpStream::close);
        awaitActive(0, Duration.ofMillis(1500));
        System.out.printf("memory: %d idle open streams add %.1f MiB of heap, about %.1f KiB per stream "
                + "(server and test client together)%n", streams, mib(heapWith - heapBefore),
                (heapWith - heapBefore) / 1024.0 / streams);
    }

    @Test
    void latencyAndThroughputOfManyConcurrentStreams() throws Exception {
        int streams = 100;
        int intervalMs = 10;
        int count = 300; // 3 s per stream
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        ExecutorService readers = Executors.newFixedThreadPool(streams);
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            readers.submit(() -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sse + "?count=" + count + "&intervalMs=" + intervalMs))
                        .header("Accept", "text/event-stream").build();
                client.send(request, HttpResponse.BodyHandlers.ofLines()).body().forEach(line -> {
                    Matcher time = TIME.matcher(line);
                    if (time.find()) {
                        Instant sent = Instant.parse(time.group(1));
                        latenciesMicros.add(Duration.between(sent, Instant.now()).toNanos() / 1000);
                    }
                });
                return null;
            });
        }
        readers.shutdown();
        readers.awaitTermination(2, TimeUnit.MINUTES);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<Long> sorted = new ArrayList<>(latenciesMicros);
        Collections.sort(sorted);
        System.out.printf("throughput: %d streams x %d events every %d ms: %d events in %d ms = %.0f events/s; "
                + "latency from the event's time to the client reading it: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                streams, count, intervalMs, sorted.size(), took.toMillis(), sorted.size() * 1000.0 / took.toMillis(),
                percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
