package org.acme.sse.production;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.Nginx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The WebSocket of a page served over HTTP/2 with TLS through nginx, in Chromium: with the shipped nginx.conf,
 * wss:// upgrades and runs on an HTTP/1.1 connection of its own beside the page's HTTP/2 connection; without the
 * upgrade headers, the handshake fails.
 */
@QuarkusTest
class WebSocketTlsPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL quarkus;

    /** Opens a WebSocket from the page, and answers when it closes: the message types and the close code. */
    static final String RUN_SOCKET = """
            path => new Promise(resolve => {
              const types = [];
              const socket = new WebSocket(new URL(path, location.href.replace(/^http/, 'ws')));
              socket.addEventListener('message', event => types.push(JSON.parse(event.data).type));
              socket.addEventListener('close', event => resolve({ types, code: event.code, url: socket.url }));
            })
            """;

    @Test
    @SuppressWarnings("unchecked")
    void aWssSocketFromAnHttp2PageRunsThroughNginxOnAnHttp11ConnectionOfItsOwn() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            Page page = chromium.newPageIgnoringCertificateErrors();
            page.navigate("https://127.0.0.1:" + nginx.port(ChapterNginx.HTTPS) + "/");
            assertThat(page.locator("#protocol")).hasText("h2");

            Map<String, Object> result = (Map<String, Object>) page.evaluate(RUN_SOCKET, "/ws?count=3&intervalMs=50");

            assertThat((String) result.get("url")).startsWith("wss://127.0.0.1:" + nginx.port(ChapterNginx.HTTPS) + "/ws");
            assertThat((List<String>) result.get("types")).containsExactly("tick", "tick", "tick", "done");
            assertThat(((Number) result.get("code")).intValue()).as("normal closure").isEqualTo(1000);
            // nginx logs a request when it ends: the page over HTTP/2, the socket's upgrade over HTTP/1.1.
            String log = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> nginx.read("access.log"),
                    text -> text.contains("\"GET /ws HTTP/1.1\" 101"));
            assertThat(log).contains("\"GET / HTTP/2.0\" 200").doesNotContain("\"GET /ws HTTP/2.0\"");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutTheUpgradeHeadersTheBrowsersSocketFailsWithoutAMessage() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(WebSocketProxyTest.UPGRADE_HEADERS, "").start()) {
            Page page = chromium.newPageIgnoringCertificateErrors();
            page.navigate("https://127.0.0.1:" + nginx.port(ChapterNginx.HTTPS) + "/");

            Map<String, Object> result = (Map<String, Object>) page.evaluate(RUN_SOCKET, "/ws?count=3&intervalMs=50");

            assertThat((List<String>) result.get("types")).isEmpty();
            assertThat(((Number) result.get("code")).intValue()).as("abnormal closure: no handshake").isEqualTo(1006);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> nginx.read("access.log"),
                    text -> text.contains("\"GET /ws HTTP/1.1\" 400"));
        }
    }
}
