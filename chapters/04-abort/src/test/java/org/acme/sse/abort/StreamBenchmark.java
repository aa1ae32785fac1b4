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
            return Map.of("streams.max-concurrent", "1000", "streams.max-duration", "5s",
                    "quarkus.log.category.\"org.acme.sse.abort\".level", "INFO");
        }
    }

    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void openAbortCyclesLeaveNothingBehind() {
        active(); // the first REST call of the JVM is slow: not part of the measurement
        openAndAbort(1000); // warm-up: JIT, pools and caches reach their working size
        long heapBefore = usedHeapAfterGc();
        int cycles = 3000;
        for (int round = 1; round <= 2; round++) {
            long start = System.nanoTime();
            openAndAbort(cycles);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Duration drained = awaitActive(0, Duration.ofSeconds(10));
            long heapAfter = usedHeapAfterGc();
            System.out.printf("open/abort round %d: %d cycles in %d ms (%.2f ms per cycle); active back to 0 %d ms "
                    + "after the last; live heap %.1f MiB, %+.1f MiB since before round 1%n",
                    round, cycles, took.toMillis(), took.toMillis() / (double) cycles, drained.toMillis(),
                    mib(heapAfter), mib(heapAfter - heapBefore));
        }
    }

    private void openAndAbort(int cycles) {
        for (int i = 0; i < cycles; i++) {
            try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=100000&intervalMs=10"))) {
                stream.awaitBodyContaining("event:tick", Duration.ofSeconds(5));
            }
        }
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
        System.out.printf("memory: %d idle open streams add %.1f MiB of live heap, about %.1f KiB per stream "
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

    /**
     * The bytes of all live objects, from the JDK's own class histogram (jcmd GC.class_histogram forces a full
     * GC first). Runtime.totalMemory() - freeMemory() after System.gc() was too noisy: +-15 MiB between runs.
     */
    private static long usedHeapAfterGc() {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String histogram = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor();
            String total = histogram.lines().filter(line -> line.startsWith("Total")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Total line from jcmd:\n" + histogram));
            return Long.parseLong(total.trim().split("\\s+")[2]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
