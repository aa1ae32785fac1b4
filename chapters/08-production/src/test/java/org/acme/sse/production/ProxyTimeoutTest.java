package org.acme.sse.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * nginx cuts a response it has heard nothing of for {@code proxy_read_timeout} (60 s by default, 1 s here). A
 * stream that ticks every 4 s is silent longer than that, unless the app sends keep-alive comments in between.
 */
@QuarkusTest
class ProxyTimeoutTest {

    static final String SHIPPED_TIMEOUT = "proxy_read_timeout 60s;";
    static final String SHORT_TIMEOUT = "proxy_read_timeout 1s;";

    @TestHTTPResource("/")
    URL quarkus;

    @Test
    void aSilentStreamIsCutAfterProxyReadTimeout() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(SHIPPED_TIMEOUT, SHORT_TIMEOUT).start();
                RawHttpStream stream = RawHttpStream.get(
                        nginx.uri(ChapterNginx.HTTP, "/sse?count=2&intervalMs=4000&keepAliveMs=0"))) {
            stream.awaitBodyContaining("\"id\":0", Duration.ofSeconds(30));
            long start = System.nanoTime();
            String body = stream.awaitEnd(Duration.ofSeconds(30));
            System.out.printf("[measured] silent stream cut by nginx %d ms after tick 0%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertThat(body).doesNotContain("\"id\":1").doesNotContain("lastId");
            assertThat(nginx.output()).contains("upstream timed out");
        }
    }

    @Test
    void keepAliveCommentsShorterThanTheTimeoutKeepTheStreamOpen() {
        // The test profile's keep-alive is 300 ms: a comment line whenever the stream has been silent that long.
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(SHIPPED_TIMEOUT, SHORT_TIMEOUT).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/sse?count=2&intervalMs=4000"))) {
            String body = stream.awaitEnd(Duration.ofSeconds(30));
            assertThat(body).contains("\"id\":1").contains("\"lastId\":1").contains(":keep-alive\n");
            assertThat(nginx.output()).doesNotContain("upstream timed out");
        }
    }
}
