package org.acme.sse.underload.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.parsetools.RecordParser;

/**
 * Opens N streams (SSE over HTTP/1.1, or WebSockets for a {@code ws://} URL) from one process, ramps them up,
 * holds them, and measures what arrives: events per second, lateness (receive time minus the event's own
 * {@code time}), bytes per second, and -- given the server's pid -- its memory per stream.
 *
 * <p>
 * Several servers (chapter 09's instances): give several URLs and as many pids; stream i goes to URL i mod n, so
 * the streams are split evenly, and one histogram measures them all. {@code --time-field at} reads the send time
 * from another field of the event's JSON (chapter 09 stamps {@code at}).
 *
 * <p>
 * Non-blocking: one Vert.x instance with two event loops for all connections, no thread per stream. Run in its
 * own JVM (bench.sh) so that the server's memory is the server's alone.
 *
 * <pre>
 * java -cp ... org.acme.sse.underload.load.LoadGenerator 'http://127.0.0.1:8087/sse?intervalMs=1000&count=1000000' \
 *      --streams 10000 --seconds 30 --expected-rate 1 --pid 1234 --runtime java --label "Quarkus /sse"
 * java -cp ... org.acme.sse.underload.load.LoadGenerator http://127.0.0.1:9289/feed http://127.0.0.1:9389/feed \
 *      --streams 5000 --seconds 30 --expected-rate 10 --pid 1234 --pid 1235 --time-field at --label "2 instances"
 * </pre>
 */
public final class LoadGenerator {

    /**
     * What to run. {@code expectedRate} is events per second per stream; no pids skips memory, else one per URL
     * (memory is summed over them). {@code timeField} names the JSON field that holds the event's send time.
     */
    public record Options(List<URI> urls, int streams, int seconds, int rampPerSecond, double expectedRate,
            List<Long> pids, ServerMemory.Runtime runtime, String label, String timeField) {

        public Options {
            urls = List.copyOf(urls);
            pids = List.copyOf(pids);
            if (urls.isEmpty() || !pids.isEmpty() && pids.size() != urls.size()) {
                throw new IllegalArgumentException("one URL at least, and no pid or one per URL: " + urls + " " + pids);
            }
        }

        /** One server whose events carry {@code time}; {@code pid} 0 skips memory. */
        public Options(URI url, int streams, int seconds, int rampPerSecond, double expectedRate, long pid,
                ServerMemory.Runtime runtime, String label) {
            this(List.of(url), streams, seconds, rampPerSecond, expectedRate, pid > 0 ? List.of(pid) : List.of(),
                    runtime, label, "time");
        }
    }

    /** What was measured over the hold period. Memory figures are NaN (RSS total: -1) when not measured. */
    public record Result(String label, int requested, int open, int failed, double eventsPerSecond,
            double expectedEventsPerSecond, long p50, long p99, long max, long gaps, double bytesPerSecond,
            double rssKbPerStream, double heapKbPerStream, double rssMb) {

        public static String header() {
            return "| load | streams requested / open / failed | events/s (expected) | lateness p50 / p99 / max"
                    + " | gaps | MB/s | server RSS | RSS per stream | live heap per stream |\n"
                    + "|---|---|---|---|---|---|---|---|---|";
        }

        public String row() {
            return String.format(Locale.ROOT,
                    "| %s | %,d / %,d / %,d | %,.0f (%,.0f) | %d / %d / %d ms | %,d | %.2f | %s | %s | %s |", label,
                    requested, open, failed, eventsPerSecond, expectedEventsPerSecond, p50, p99, max, gaps,
                    bytesPerSecond / 1e6, rssMb < 0 ? "–" : String.format(Locale.ROOT, "%.0f MB", rssMb),
                    kb(rssKbPerStream), kb(heapKbPerStream));
        }

        public String tsv() {
            return String.join("\t", label, Integer.toString(requested), Integer.toString(open),
                    Integer.toString(failed), Double.toString(eventsPerSecond), Long.toString(p50),
                    Long.toString(p99), Long.toString(max), Double.toString(rssKbPerStream),
                    Double.toString(heapKbPerStream));
        }

        private static String kb(double value) {
            return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f KB", value);
        }
    }

    private final Options options;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final Recorder lateness = new Recorder(3);
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final List<Runnable> closers = new CopyOnWriteArrayList<>();
    private final List<String> firstErrors = new CopyOnWriteArrayList<>();

    private final String timeKey; // "time":" -- where the send time starts

    private LoadGenerator(Options options) {
        this.options = options;
        this.timeKey = "\"" + options.timeField() + "\":\"";
    }

    public static Result run(Options options) throws Exception {
        LoadGenerator generator = new LoadGenerator(options);
        try {
            return generator.run();
        } finally {
            generator.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private Result run() throws Exception {
        ServerMemory before = ServerMemory.measure(options.pids(), options.runtime(), options.urls());
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(options.streams() + 16)
                .setMaxWaitQueueSize(-1).setKeepAlive(true).setIdleTimeout(0).setConnectTimeout(30_000)
                .setTcpNoDelay(true));
        WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(options.streams() + 16).setConnectTimeout(30_000).setTcpNoDelay(true));

        // Ramp: a batch every 10 ms, rampPerSecond streams a second.
        int perBatch = Math.max(1, options.rampPerSecond() / 100);
        AtomicInteger started = new AtomicInteger();
        long rampTimer = vertx.setPeriodic(10, t -> {
            for (int i = 0; i < perBatch && started.get() < options.streams(); i++) {
                URI url = options.urls().get(started.getAndIncrement() % options.urls().size());
                if (url.getScheme().startsWith("ws")) {
                    openWebSocket(ws, url);
                } else {
                    openSse(http, url);
                }
            }
        });
        long rampDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + options.streams() / Math.max(1,
                options.rampPerSecond()));
        while (opened.get() + failed.get() < options.streams() && System.nanoTime() < rampDeadline) {
            Thread.sleep(50);
        }
        vertx.cancelTimer(rampTimer);
        int notOpened = options.streams() - opened.get(); // failed, or still no answer: both count as failed

        Thread.sleep(2000); // let every stream's first events arrive before measuring
        lateness.getIntervalHistogram(); // discard the ramp
        long events0 = events.get();
        long bytes0 = bytes.get();
        long gaps0 = gaps.get();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.seconds()));
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram histogram = lateness.getIntervalHistogram();
        long received = events.get() - events0;
        long receivedBytes = bytes.get() - bytes0;
        long receivedGaps = gaps.get() - gaps0;
        int openAtEnd = opened.get() - ended.get();

        ServerMemory during = ServerMemory.measure(options.pids(), options.runtime(), options.urls());
        closers.forEach(Runnable::run);
        if (!firstErrors.isEmpty()) {
            System.err.println("first errors: " + firstErrors);
        }
        int n = options.streams();
        return new Result(options.label(), n, openAtEnd, notOpened, received / elapsed,
                n * options.expectedRate(), histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getMaxValue(), receivedGaps, receivedBytes / elapsed,
                perStream(before.rssKb(), during.rssKb(), openAtEnd),
                perStream(before.heapKb(), during.heapKb(), openAtEnd),
                during.rssKb() < 0 ? -1 : during.rssKb() / 1024.0);
    }

    /** Per stream open while measured: streams that never opened cost the server (almost) nothing. */
    private static double perStream(double before, double during, int streams) {
        return before < 0 || during < 0 || streams == 0 ? Double.NaN : (during - before) / streams;
    }

    private void openSse(HttpClient http, URI url) {
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        http.request(HttpMethod.GET, url.getPort(), url.getHost(), path)
                .compose(request -> request.putHeader("Accept", "text/event-stream").send())
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        fail("HTTP " + response.statusCode());
                        response.request().connection().close();
                        return;
                    }
                    opened.incrementAndGet();
                    HttpConnection connection = response.request().connection();
                    closers.add(connection::close);
                    RecordParser events = RecordParser.newDelimited("\n\n", this::sseEvent);
                    response.handler(buffer -> {
                        bytes.addAndGet(buffer.length());
                        events.handle(buffer);
                    });
                    response.endHandler(v -> ended.incrementAndGet());
                    response.exceptionHandler(e -> ended.incrementAndGet());
                })
                .onFailure(e -> fail(e.toString()));
    }

    private void openWebSocket(WebSocketClient ws, URI url) {
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        ws.connect(url.getPort(), url.getHost(), path)
                .onSuccess(socket -> {
                    opened.incrementAndGet();
                    closers.add(socket::close);
                    socket.textMessageHandler(text -> {
                        bytes.addAndGet(text.length());
                        event(text);
                    });
                    socket.closeHandler(v -> ended.incrementAndGet());
                })
                .onFailure(e -> fail(e.toString()));
    }

    private void fail(String why) {
        failed.incrementAndGet();
        if (firstErrors.size() < 5) {
            firstErrors.add(why);
        }
    }

    private void sseEvent(Buffer record) {
        event(record.toString(StandardCharsets.UTF_8));
    }

    /** One event (an SSE record or a WebSocket message): lateness from its {@code "time":"..."}, if any. */
    private void event(String text) {
        if (text.contains("\"missed\"")) {
            gaps.incrementAndGet();
            return;
        }
        int at = text.indexOf(timeKey);
        if (at < 0) {
            return; // a comment, or the done event
        }
        long now = System.currentTimeMillis();
        long sent = IsoMillis.parse(text, at + timeKey.length());
        events.incrementAndGet();
        lateness.recordValue(Math.max(0, now - sent));
    }

    public static void main(String[] args) throws Exception {
        List<URI> urls = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        String timeField = "time";
        int streams = 100;
        int seconds = 10;
        int ramp = 2000;
        double rate = 1;
        ServerMemory.Runtime runtime = ServerMemory.Runtime.JAVA;
        String label = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--ramp" -> ramp = Integer.parseInt(args[++i]);
                case "--expected-rate" -> rate = Double.parseDouble(args[++i]);
                case "--pid" -> pids.add(Long.parseLong(args[++i]));
                case "--runtime" -> runtime = ServerMemory.Runtime.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--label" -> label = args[++i];
                case "--time-field" -> timeField = args[++i];
                default -> urls.add(URI.create(args[i]));
            }
        }
        if (urls.isEmpty() || !pids.isEmpty() && pids.size() != urls.size()) {
            System.err.println("usage: LoadGenerator URL [URL...] [--streams N] [--seconds S] [--ramp PER_SECOND]"
                    + " [--expected-rate EVENTS_PER_STREAM_PER_SECOND] [--pid SERVER_PID, once per URL]"
                    + " [--runtime java|node] [--label TEXT] [--time-field NAME, default time]");
            System.exit(2);
        }
        Result result = run(new Options(urls, streams, seconds, ramp, rate, pids, runtime,
                label == null ? urls.toString() : label, timeField));
        System.out.println(Result.header());
        System.out.println(result.row());
        System.out.println("TSV\t" + result.tsv());
        System.exit(0);
    }
}
