package org.acme.sse.underload.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Non-blocking: one Vert.x instance with two event loops for all connections, no thread per stream. Run in its
 * own JVM (bench.sh) so that the server's memory is the server's alone.
 *
 * <pre>
 * java -cp ... org.acme.sse.underload.load.LoadGenerator 'http://127.0.0.1:8087/sse?intervalMs=1000&count=1000000' \
 *      --streams 10000 --seconds 30 --expected-rate 1 --pid 1234 --runtime java --label "Quarkus /sse"
 * </pre>
 */
public final class LoadGenerator {

    /** What to run. {@code expectedRate} is events per second per stream; {@code pid} 0 skips memory. */
    public record Options(URI url, int streams, int seconds, int rampPerSecond, double expectedRate, long pid,
            ServerMemory.Runtime runtime, String label) {
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

    private LoadGenerator(Options options) {
        this.options = options;
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
        ServerMemory before = ServerMemory.measure(options.pid(), options.runtime(), options.url());
        boolean webSocket = options.url().getScheme().startsWith("ws");
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
                started.incrementAndGet();
                if (webSocket) {
                    openWebSocket(ws);
                } else {
                    openSse(http);
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

        ServerMemory during = ServerMemory.measure(options.pid(), options.runtime(), options.url());
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

    private void openSse(HttpClient http) {
        URI url = options.url();
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

    private void openWebSocket(WebSocketClient ws) {
        URI url = options.url();
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
        int at = text.indexOf("\"time\":\"");
        if (at < 0) {
            return; // a comment, or the done event
        }
        long now = System.currentTimeMillis();
        long sent = IsoMillis.parse(text, at + 8);
        events.incrementAndGet();
        lateness.recordValue(Math.max(0, now - sent));
    }

    public static void main(String[] args) throws Exception {
        URI url = null;
        int streams = 100;
        int seconds = 10;
        int ramp = 2000;
        double rate = 1;
        long pid = 0;
        ServerMemory.Runtime runtime = ServerMemory.Runtime.JAVA;
        String label = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--ramp" -> ramp = Integer.parseInt(args[++i]);
                case "--expected-rate" -> rate = Double.parseDouble(args[++i]);
                case "--pid" -> pid = Long.parseLong(args[++i]);
                case "--runtime" -> runtime = ServerMemory.Runtime.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--label" -> label = args[++i];
                default -> url = URI.create(args[i]);
            }
        }
        if (url == null) {
            System.err.println("usage: LoadGenerator URL [--streams N] [--seconds S] [--ramp PER_SECOND]"
                    + " [--expected-rate EVENTS_PER_STREAM_PER_SECOND] [--pid SERVER_PID] [--runtime java|node]"
                    + " [--label TEXT]");
            System.exit(2);
        }
        Result result = run(new Options(url, streams, seconds, ramp, rate, pid, runtime,
                label == null ? url.toString() : label));
        System.out.println(Result.header());
        System.out.println(result.row());
        System.out.println("TSV\t" + result.tsv());
        System.exit(0);
    }
}
