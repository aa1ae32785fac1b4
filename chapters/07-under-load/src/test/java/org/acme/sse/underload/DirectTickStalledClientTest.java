package org.acme.sse.underload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import org.acme.sse.testing.StalledReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * GET /sse-direct and a client that stops reading: once its frames fill the socket buffers and then the write
 * queue (sse.buffer-bytes, 2 KB here), the stream pauses until the client reads again. The server's send buffer is pinned to 16 KB,
 * as in chapter 04's StalledClientWireTest: over loopback Linux would otherwise give it megabytes.
 */
@QuarkusTest
@TestProfile(DirectTickStalledClientTest.SmallBuffers.class)
class DirectTickStalledClientTest {

    private static final Pattern EVENT = Pattern.compile("id: (\\d+)\ndata: \\{\"id\":\\d+,\"time\":\"([^\"]+)\"}\n\n");
    private static final Duration STALL = Duration.ofSeconds(20);

    @TestHTTPResource("/sse-direct")
    URI sse;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void whileAClientDoesNotReadItsStreamPausesAndLosesNothing() throws InterruptedException {
        // About 60 bytes every 10 ms for 1,500 ticks: a 15-second stream if read, more than the buffers hold.
        int count = 1500;
        try (StalledReader client = StalledReader.get(URI.create(sse + "?intervalMs=10&count=" + count), 4096)) {
            client.readUntil("id: 0\n", Duration.ofSeconds(10));
            Thread.sleep(STALL.toMillis()); // not reading
            String body = client.readToEnd(Duration.ofSeconds(120));

            List<Long> ids = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            Matcher event = EVENT.matcher(body);
            while (event.find()) {
                ids.add(Long.parseLong(event.group(1)));
                times.add(Instant.parse(event.group(2)));
            }
            assertThat(ids).isEqualTo(LongStream.range(0, count).boxed().toList()); // every tick, in order
            assertThat(body).endsWith("event: done\ndata: {\"lastId\":" + (count - 1) + "}\n\n");
            // The server made no ticks while the queue was full: two consecutive stamps are seconds apart (the
            // buffers took about 6 s of the stall to fill here).
            // Had it gone on writing into the queue, its stamps would be 10 ms apart throughout.
            Duration longestPause = Duration.ZERO;
            for (int i = 1; i < times.size(); i++) {
                Duration pause = Duration.between(times.get(i - 1), times.get(i));
                longestPause = pause.compareTo(longestPause) > 0 ? pause : longestPause;
            }
            assertThat(longestPause).isGreaterThan(STALL.dividedBy(4)); // the buffers take some seconds to fill
        }
    }

    /** Enables {@link SendBuffer16K} and a small write queue for this test class only. */
    public static class SmallBuffers implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SendBuffer16K.class);
        }

        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("sse.buffer-bytes", "2048");
        }
    }

    /** SO_SNDBUF on every accepted connection; setting it also stops Linux from growing the buffer. */
    @Alternative
    @Singleton
    public static class SendBuffer16K implements HttpServerOptionsCustomizer {
        @Override
        public void customizeHttpServer(HttpServerOptions options) {
            options.setSendBufferSize(16 * 1024);
        }
    }
}
