package org.acme.sse.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Compression in Quarkus rather than in nginx: {@code quarkus.http.enable-compression} with text/event-stream
 * added to {@code quarkus.http.compress-media-types} (it is not in the default list). Vert.x compresses each
 * write and flushes it, so the events still come one by one -- gzip-framed.
 */
@QuarkusTest
@TestProfile(QuarkusCompressionTest.CompressedStreams.class)
class QuarkusCompressionTest {

    public static class CompressedStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.enable-compression", "true",
                    "quarkus.http.compress-media-types", "text/event-stream");
        }
    }

    @TestHTTPResource("/")
    URL quarkus;

    @BeforeEach
    void warmUp() {
        // A compressed response too: the first one sets up the compressor, which takes a while in a fresh JVM.
        ChapterNginx.warmUp(quarkus, "Accept-Encoding", "gzip");
    }

    @Test
    void quarkusCompressesEachEventAndSendsItAtOnce() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + quarkus.getPort() + ProxyBufferingTest.STREAM);
        long millis = firstTickMillis("gzip by Quarkus, no proxy", uri);
        assertThat(millis).isLessThan(ProxyBufferingTest.PROMPT.toMillis());
    }

    @Test
    void throughTheShippedNginxTheCompressedEventsStillComeOneByOne() throws Exception {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            long millis = firstTickMillis("gzip by Quarkus, through nginx",
                    nginx.uri(ChapterNginx.HTTP, ProxyBufferingTest.STREAM));
            assertThat(millis).isLessThan(ProxyBufferingTest.PROMPT.toMillis());
        }
    }

    private static long firstTickMillis(String what, URI uri) throws Exception {
        try (RawHttpStream stream = RawHttpStream.get(uri, "Accept-Encoding", "gzip")) {
            long start = System.nanoTime();
            // Woken by each read from the socket: the time is when the bytes that hold tick 0 arrived.
            stream.awaitBody(text -> ProxyCompressionTest.inflated(stream).contains("\"id\":0"), Duration.ofSeconds(30));
            long millis = (System.nanoTime() - start) / 1_000_000;
            String body = ProxyCompressionTest.inflateSoFar(stream.bodyBytes());
            System.out.printf("[measured] first tick, %s: %d ms%n", what, millis);
            assertThat(stream.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(body).doesNotContain("\"id\":1");
            return millis;
        }
    }
}
