package org.acme.sse.ssevsws;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.acme.sse.ssevsws.ReconnectPageTest.button;
import static org.acme.sse.ssevsws.ReconnectPageTest.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.nio.file.Paths;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The page: both panels at once, their counters, and the controls only the WebSocket panel can have. */
@QuarkusTest
class ComparePageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams(); // the previous test's clients may still be leaving
    }

    @Test
    void bothPanelsRunSideBySideAndCountTheBytesOfBinaryData() {
        Page page = chromium.newPage();
        page.setViewportSize(1280, 760);
        page.navigate(index + "?count=40&intervalMs=200&retryMs=500");
        button(page, "Connect EventSource").click();
        button(page, "Connect WebSocket").click();
        assertThat(lines(page, "sse", "tick").nth(3)).isAttached();
        assertThat(lines(page, "ws", "tick").nth(3)).isAttached();

        button(page, "Send binary over WebSocket").click();
        assertThat(page.locator("#ws-binary")).hasText("256 bytes (ArrayBuffer)");
        // The log, not the "bytes, last message" counter: the next tick may overwrite that before we look.
        assertThat(lines(page, "ws", "binary")).containsText("ArrayBuffer of 256 bytes");
        button(page, "Send binary over EventSource").click();
        assertThat(page.locator("#sse-binary")).hasText("344 characters of base64 → 256 bytes");
        assertThat(lines(page, "sse", "binary")).containsText("344 characters, decodes to 256 bytes");

        assertThat(lines(page, "sse", "tick").nth(6)).isAttached();
        assertThat(page.locator("#sse-ready-state")).hasText("OPEN");
        assertThat(page.locator("#ws-ready-state")).hasText("OPEN");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/05-sse-vs-websocket.png")));
    }

    @Test
    void pauseResumeAndRateTravelOnTheWebSocketItself() {
        Page page = chromium.newPage();
        page.navigate(index + "?count=1000&intervalMs=50");
        button(page, "Connect WebSocket").click();
        assertThat(lines(page, "ws", "tick").nth(2)).isAttached();

        button(page, "Pause").click();
        assertThat(lines(page, "ws", "state")).containsText("paused: true, intervalMs: 50");
        int ticksWhenPaused = lines(page, "ws", "tick").count();
        page.waitForTimeout(400); // eight ticks' worth of time
        assertEquals(ticksWhenPaused, lines(page, "ws", "tick").count());

        button(page, "Resume").click();
        assertThat(lines(page, "ws", "state").nth(1)).containsText("paused: false, intervalMs: 50");
        assertThat(lines(page, "ws", "tick").nth(ticksWhenPaused)).isAttached();

        page.locator("#ws-rate").fill("20");
        button(page, "Set rate").click();
        assertThat(lines(page, "ws", "state").nth(2)).containsText("paused: false, intervalMs: 20");

        button(page, "Disconnect WebSocket").click();
        assertThat(lines(page, "ws", "closed")).containsText("close 1000, clean: true: no reconnection");
        assertThat(page.locator("#ws-ready-state")).hasText("CLOSED");
        ServerStreams.awaitActive(0, ServerStreams.WITHIN_A_SECOND_OR_SO);
    }
}
