package org.acme.sse.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * gzip at nginx on text/event-stream. The stream is the one of {@link ProxyBufferingTest}: tick 0 at once, done
 * after 5 s. The client asks for gzip and inflates what it has received so far, as a browser does.
 */
@QuarkusTest
class ProxyCompressionTest {

    static final String GZIP_OFF = "gzip off;";
    static final String GZIP_ON = "gzip on; gzip_types text/event-stream; gzip_min_length 0;";

    @TestHTTPResource("/")
    URL quarkus;

    @BeforeEach
    void warmUp() {
        ChapterNginx.warmUp(quarkus);
    }

    @Test
    void gzipOnABufferedStreamHoldsEveryEventUntilTheEnd() throws DataFormatException {
        // Buffering on, HTTP/1.1 to Quarkus -- which alone passes each event on (ProxyBufferingTest) -- plus gzip.
        String bodyAtFirstTick = firstTickInflated("gzip, buffering on", ChapterNginx.shipped(quarkus)
                .replace(ProxyBufferingTest.BUFFERING_OFF, ProxyBufferingTest.BUFFERING_ON_HEADER_IGNORED)
                .replace(GZIP_OFF, GZIP_ON), millis -> assertThat(millis).isGreaterThanOrEqualTo(ProxyBufferingTest.END.toMillis()));
        assertThat(bodyAtFirstTick).contains("\"lastId\":2");
    }

    @Test
    void gzipOnAnUnbufferedStreamFlushesEachEvent() throws DataFormatException {
        // proxy_buffering off (or X-Accel-Buffering: no): nginx marks each piece from Quarkus "flush", and the
        // gzip filter then ends its deflate block there (a sync flush) instead of waiting for more.
        String bodyAtFirstTick = firstTickInflated("gzip, buffering off", ChapterNginx.shipped(quarkus)
                .replace(GZIP_OFF, GZIP_ON), millis -> assertThat(millis).isLessThan(ProxyBufferingTest.PROMPT.toMillis()));
        assertThat(bodyAtFirstTick).doesNotContain("\"id\":1");
    }

    @Test
    void theShippedConfigurationDoesNotCompressTheStream() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/sse?count=2&intervalMs=10"),
                        "Accept-Encoding", "gzip")) {
            assertThat(stream.awaitEnd(Duration.ofSeconds(30))).contains("\"lastId\":1");
            assertThat(stream.header("Content-Encoding")).isNull();
        }
    }

    private static String firstTickInflated(String what, Nginx.Builder config, LongConsumer check)
            throws DataFormatException {
        try (Nginx nginx = config.start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, ProxyBufferingTest.STREAM),
                        "Accept-Encoding", "gzip")) {
            long start = System.nanoTime();
            // Woken by each read from the socket: the time is when the bytes that hold tick 0 arrived.
            stream.awaitBody(text -> inflated(stream).contains("\"id\":0"), Duration.ofSeconds(30));
            long millis = (System.nanoTime() - start) / 1_000_000;
            String body = inflateSoFar(stream.bodyBytes());
            System.out.printf("[measured] first tick through nginx, %s: %d ms%s%n", what, millis,
                    body.contains("\"lastId\"") ? " (together with done)" : "");
            assertThat(stream.header("Content-Encoding")).isEqualTo("gzip");
            check.accept(millis);
            return body;
        }
    }

    /** {@link #inflateSoFar} of the body received so far. */
    static String inflated(RawHttpStream stream) {
        try {
            return inflateSoFar(stream.bodyBytes());
        } catch (DataFormatException e) {
            throw new AssertionError("not a gzip stream", e);
        }
    }

    /** What a gzip stream received so far inflates to: everything up to the last flush point. */
    static String inflateSoFar(byte[] gzip) throws DataFormatException {
        if (gzip.length <= 10) {
            return "";
        }
        assertThat(Arrays.copyOf(gzip, 2)).containsExactly(0x1f, 0x8b);
        Inflater inflater = new Inflater(true); // raw deflate after nginx's fixed 10-byte gzip header
        try {
            inflater.setInput(gzip, 10, gzip.length - 10);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            inflater.end();
        }
    }
}
