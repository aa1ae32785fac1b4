package org.acme.sse.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.time.Duration;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What passes through the shipped nginx.conf in both directions: Last-Event-ID, the 204, a problem body; and what
 * a HEAD gets from Quarkus.
 */
@QuarkusTest
class ProxyHeadersTest {

    @TestHTTPResource("/")
    URL quarkus;

    @Test
    void lastEventIdReachesQuarkusAndTheStreamResumes() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/sse?count=5&intervalMs=10"),
                        "Last-Event-ID", "2")) {
            String body = stream.awaitEnd(Duration.ofSeconds(30));
            assertThat(stream.status()).isEqualTo(200);
            assertThat(body).doesNotContain("\"id\":0").doesNotContain("\"id\":2")
                    .contains("\"id\":3").contains("\"id\":4").contains("\"lastId\":4");
        }
    }

    @Test
    void noContentForAClientThatHasEverythingPassesThrough() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/sse?count=5&intervalMs=10"),
                        "Last-Event-ID", "4")) {
            assertThat(stream.status()).isEqualTo(204);
        }
    }

    @Test
    void aBadParameterIsAProblemBodyThroughNginx() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/sse?count=lots"))) {
            String body = stream.awaitEnd(Duration.ofSeconds(30));
            assertThat(stream.status()).isEqualTo(400);
            assertThat(stream.header("Content-Type")).startsWith("application/problem+json");
            assertThat(body).contains("\"detail\":\"count must be a whole number between 1 and 10000\"");
        }
    }

    @Test
    void headAnswersTheHeadersWithNoStreamThatHoldsTheConnection() {
        // Three ticks a minute apart: a HEAD that ran the stream would end only after two minutes.
        try (RawHttpStream stream = RawHttpStream.send("HEAD", URI.create(quarkus + "sse?count=3&intervalMs=60000"), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.awaitEnd(Duration.ofSeconds(30))).isEmpty();
        }
    }

    @Test
    void theStreamReachesTheClientChunkedWithItsCacheHeader() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/sse?count=1&intervalMs=10"))) {
            stream.awaitEnd(Duration.ofSeconds(30));
            assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(stream.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(stream.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    /**
     * The login of part 3 is app-wide, but authenticates only where a resource needs the user
     * (quarkus.http.auth.proactive=false): a forged bearer token or a stale session cookie on the open stream of parts
     * 1 and 2 is never looked at, and the stream runs as without them.
     */
    @Test
    void credentialsDoNotTouchTheOpenStream() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/sse?count=2&intervalMs=10"),
                        "Authorization", "Bearer forged-token", "Cookie", "quarkus-credential=stale-session")) {
            String body = stream.awaitEnd(Duration.ofSeconds(30));
            assertThat(stream.status()).isEqualTo(200);
            assertThat(body).contains("\"id\":0").contains("\"id\":1").contains("\"lastId\":1");
        }
    }
}
