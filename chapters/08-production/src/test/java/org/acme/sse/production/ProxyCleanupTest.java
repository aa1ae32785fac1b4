package org.acme.sse.production;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that leaves nginx must end the stream in Quarkus too: nginx closes its connection to the upstream
 * (proxy_ignore_client_abort is off), and Quarkus cancels the stream (chapter 04).
 */
@QuarkusTest
class ProxyCleanupTest {

    static final Duration WITHIN_A_SECOND_OR_SO = Duration.ofMillis(1500);
    static final String LONG_STREAM = "/sse?count=10000&intervalMs=200";

    @TestHTTPResource("/")
    URL quarkus;

    @BeforeEach
    void noStreamOfAnEarlierTestIsLeft() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> active() == 0);
    }

    @Test
    void clientsThatLeaveNginxStopTheirStreamsInQuarkus() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            List<RawHttpStream> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, LONG_STREAM)));
            }
            clients.forEach(client -> client.awaitBodyContaining("\"id\":1", Duration.ofSeconds(30)));
            assertThat(active()).isEqualTo(5);

            clients.forEach(RawHttpStream::close); // what a closed tab does to its TCP connection
            long start = System.nanoTime();
            Awaitility.await().atMost(WITHIN_A_SECOND_OR_SO).pollInterval(Duration.ofMillis(10))
                    .until(() -> active() == 0);
            System.out.printf("[measured] 5 streams through nginx stopped in Quarkus %d ms after their clients left%n",
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void aWebSocketClientThatLeavesNginxStopsItsStreamInQuarkus() throws Exception {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + nginx.port(ChapterNginx.HTTP)
                            + "/ws?count=10000&intervalMs=200"), new WebSocket.Listener() {
                            })
                    .get(30, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> active() == 1);

            socket.abort(); // the TCP connection closes, without a close frame
            Awaitility.await().atMost(WITHIN_A_SECOND_OR_SO).pollInterval(Duration.ofMillis(10))
                    .until(() -> active() == 0);
        }
    }

    private int active() {
        return given().baseUri("http://127.0.0.1:" + quarkus.getPort()).get("/streams")
                .then().statusCode(200).extract().path("active");
    }
}
