package org.acme.sse.production;

import static io.restassured.RestAssured.given;
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

/**
 * When does the first event of a stream reach a client through nginx? The stream sends tick 0 at once, then one
 * tick every 2.5 s, and done after the third: a client that sees tick 0 only with done waited for the end.
 */
@QuarkusTest
class ProxyBufferingTest {

    static final String STREAM = "/sse?count=3&intervalMs=2500";
    static final Duration PROMPT = Duration.ofMillis(2000); // before tick 1, far below the 5 s the stream lasts
    static final Duration END = Duration.ofMillis(4000);

    // The shipped /sse location with nginx's defaults instead: buffering on, HTTP/1.0 to Quarkus, and the
    // app's X-Accel-Buffering header ignored (as for an app that does not send it).
    static final String BUFFERING_OFF = "proxy_buffering off;";
    static final String BUFFERING_ON_HEADER_IGNORED = "proxy_buffering on; proxy_ignore_headers X-Accel-Buffering;";
    static final String HTTP_11 = "proxy_http_version 1.1;";
    static final String HTTP_10 = "proxy_http_version 1.0;";

    @TestHTTPResource("/")
    URL quarkus;

    @BeforeEach
    void warmUp() {
        ChapterNginx.warmUp(quarkus);
    }

    record FirstTick(long millis, String bodyThen, String xAccelBuffering) {
    }

    @Test
    void withNginxDefaultsTheFirstEventArrivesOnlyWithTheLast() {
        FirstTick first = firstTick("defaults (buffering on, HTTP/1.0 upstream)", ChapterNginx.shipped(quarkus)
                .replace(BUFFERING_OFF, BUFFERING_ON_HEADER_IGNORED)
                .replace(HTTP_11, HTTP_10));
        assertThat(first.millis()).isGreaterThanOrEqualTo(END.toMillis());
        assertThat(first.bodyThen()).as("tick 0 came in one batch with done").contains("\"lastId\":2");
    }

    @Test
    void withProxyBufferingOffEachEventArrivesWhenSent() {
        FirstTick first = firstTick("proxy_buffering off", ChapterNginx.shipped(quarkus)
                .replace(BUFFERING_OFF, "proxy_buffering off; proxy_ignore_headers X-Accel-Buffering;")
                .replace(HTTP_11, HTTP_10));
        assertThat(first.millis()).isLessThan(PROMPT.toMillis());
        assertThat(first.bodyThen()).doesNotContain("\"id\":1");
    }

    @Test
    void theAppsXAccelBufferingHeaderTurnsBufferingOffForItsResponse() {
        FirstTick first = firstTick("buffering on, X-Accel-Buffering: no from the app", ChapterNginx.shipped(quarkus)
                .replace(BUFFERING_OFF, "proxy_buffering on;")
                .replace(HTTP_11, HTTP_10));
        assertThat(first.millis()).isLessThan(PROMPT.toMillis());
        assertThat(first.bodyThen()).doesNotContain("\"id\":1");
        assertThat(first.xAccelBuffering()).as("nginx keeps X-Accel-* headers to itself").isNull();
    }

    @Test
    void bufferedButChunkedFromQuarkusEachEventStillPassesThrough() {
        // HTTP/1.1 to Quarkus: a chunked response. nginx's buffered pipe hands a part-filled buffer on as soon as
        // it holds a whole chunk; a close-delimited HTTP/1.0 body has no such boundary, so it waits for a full
        // buffer or the end.
        FirstTick first = firstTick("buffering on, HTTP/1.1 upstream", ChapterNginx.shipped(quarkus)
                .replace(BUFFERING_OFF, BUFFERING_ON_HEADER_IGNORED));
        assertThat(first.millis()).isLessThan(PROMPT.toMillis());
        assertThat(first.bodyThen()).doesNotContain("\"id\":1");
    }

    @Test
    void directlyFromQuarkusTheFirstEventArrivesAtOnce() {
        long start = System.nanoTime();
        try (RawHttpStream stream = RawHttpStream.get(uri(quarkus, STREAM))) {
            String body = stream.awaitBodyContaining("\"id\":0", Duration.ofSeconds(30));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("[measured] first tick, no proxy: %d ms%n", millis);
            assertThat(millis).isLessThan(PROMPT.toMillis());
            assertThat(body).doesNotContain("\"id\":1");
        }
    }

    private static FirstTick firstTick(String what, Nginx.Builder config) {
        try (Nginx nginx = config.start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, STREAM))) {
            long start = System.nanoTime();
            String body = stream.awaitBodyContaining("\"id\":0", Duration.ofSeconds(30));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("[measured] first tick through nginx, %s: %d ms%s%n", what, millis,
                    body.contains("\"lastId\"") ? " (together with done)" : "");
            assertThat(stream.status()).isEqualTo(200);
            return new FirstTick(millis, body, stream.header("X-Accel-Buffering"));
        }
    }

    static URI uri(URL base, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + base.getPort() + pathAndQuery);
    }

    /**
     * The login's streams go through nginx's "location /", where buffering is on: the app's X-Accel-Buffering: no
     * turns it off for them too. Against the worst case (HTTP/1.0 to Quarkus), the first tick of a ticket stream
     * arrives while the stream still runs, not in one batch with its end (reauth, after 3 s in tests).
     */
    @Test
    void theTicketStreamPassesEachEventThroughTheBufferingDefaultLocation() {
        String cookie = given().formParams(Map.of("j_username", "alice", "j_password", "alice-demo-password"))
                .when().post("/j_security_check").then().statusCode(200).extract().cookie("quarkus-credential");
        String ticket = given().cookie("quarkus-credential", cookie).when().post("/stream-tickets")
                .then().statusCode(200).extract().path("ticket");
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(HTTP_11, HTTP_10).start();
                RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/secure/sse?ticket=" + ticket),
                        "Accept", "text/event-stream")) {
            String first = stream.awaitBodyContaining("event:tick", Duration.ofSeconds(30));
            assertThat(first).as("the first tick came before the end of the stream").doesNotContain("event:reauth");
            assertThat(stream.header("X-Accel-Buffering")).isNull();
        }
    }
}
