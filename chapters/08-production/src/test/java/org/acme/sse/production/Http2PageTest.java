package org.acme.sse.production;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.Nginx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Twenty EventSources on one page, through nginx over TLS: over HTTP/1.1 Chromium opens six connections to the
 * server and the other streams wait; over HTTP/2 all share one connection, up to the server's
 * SETTINGS_MAX_CONCURRENT_STREAMS.
 */
@QuarkusTest
class Http2PageTest {

    static final String HTTP2_LISTEN = "ssl http2;";
    static final String MAX_STREAMS = "http2_max_concurrent_streams 128;";
    /** How long a waiting stream is watched to be still waiting: far longer than opening takes here. */
    static final Duration STILL_WAITING = Duration.ofSeconds(2);

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL quarkus;

    @Test
    void overHttp2TwentyEventSourcesAreAllOpen() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            Page page = open(nginx);
            assertThat(page.locator("#protocol")).hasText("h2");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open 20 streams")).click();
            assertThat(openCount(page)).hasText("20 of 20");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close all streams")).click();
            // nginx logs a request when it ends: twenty streams over HTTP/2, and the page itself.
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    nginx.read("access.log").lines().filter(line -> line.contains("\"GET /sse HTTP/2.0\""))).hasSize(20));
            assertThat(nginx.read("access.log")).contains("\"GET / HTTP/2.0\" 200");
        }
    }

    @Test
    void overHttp11SixAreOpenAndTheSeventhWaitsForAConnection() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(HTTP2_LISTEN, "ssl;").start()) {
            Page page = open(nginx);
            assertThat(page.locator("#protocol")).hasText("http/1.1");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open 20 streams")).click();
            assertThat(openCount(page)).hasText("6 of 20");
            page.waitForTimeout(STILL_WAITING.toMillis()); // a wait for nothing to happen: no condition to wait for
            assertThat(openCount(page)).hasText("6 of 20");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close one stream")).click();
            assertThat(openCount(page)).hasText("6 of 19"); // a connection is free: the seventh opens
            assertThat(nginx.read("access.log")).contains("\"GET / HTTP/1.1\" 200");
        }
    }

    @Test
    void beyondMaxConcurrentStreamsTheNextStreamWaitsForOneToClose() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(MAX_STREAMS, "http2_max_concurrent_streams 4;")
                .start()) {
            Page page = open(nginx);
            assertThat(page.locator("#protocol")).hasText("h2");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open 20 streams")).click();
            assertThat(openCount(page)).hasText("4 of 20");
            page.waitForTimeout(STILL_WAITING.toMillis());
            assertThat(openCount(page)).hasText("4 of 20");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close one stream")).click();
            assertThat(openCount(page)).hasText("4 of 19");
        }
    }

    @Test
    void anotherTabOfTheSameBrowserSharesTheConnectionAndItsLimit() {
        // The limit is exactly what the first tab opens, so none of its streams waits in Chromium's queue. When a
        // tab closes streams that are still waiting, Chromium can hand a freed slot to one of them just as it is
        // cancelled; in runs here the second tab then got one to four of the freed slots, or none within 15 s.
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(MAX_STREAMS, "http2_max_concurrent_streams 20;")
                .start()) {
            Page first = open(nginx);
            Page second = first.context().newPage(); // a second tab, loaded before the first takes every stream
            second.navigate(first.url());
            assertThat(second.locator("#protocol")).hasText("h2");

            first.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open 20 streams")).click();
            assertThat(openCount(first)).hasText("20 of 20");
            second.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open 20 streams")).click();
            second.waitForTimeout(STILL_WAITING.toMillis()); // a wait for nothing to happen: no condition to wait for
            assertThat(openCount(second)).hasText("0 of 20");

            first.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close all streams")).click();
            assertThat(openCount(second)).hasText("20 of 20"); // the freed slots go to the second tab
        }
    }

    private static Page open(Nginx nginx) {
        Page page = chromium.newPageIgnoringCertificateErrors();
        page.navigate("https://127.0.0.1:" + nginx.port(ChapterNginx.HTTPS) + "/");
        return page;
    }

    private static Locator openCount(Page page) {
        return page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("open streams"));
    }
}
