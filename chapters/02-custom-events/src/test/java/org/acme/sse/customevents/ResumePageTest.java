package org.acme.sse.customevents;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.FlakyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Chromium's own EventSource: named events, reconnect with Last-Event-ID, resume, and a clean stop. */
@QuarkusTest
class ResumePageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator lines(Page page, String type) {
        return page.locator("#log li[data-type=\"" + type + "\"]");
    }

    /** The ids of the tick lines, in the order the page logged them. */
    private static List<Integer> tickIds(Page page) {
        return lines(page, "tick").allTextContents().stream()
                .map(text -> Integer.parseInt(text.replaceAll("(?s).*lastEventId=(\\d+) .*", "$1")))
                .toList();
    }

    private static List<Integer> zeroTo(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void listensToNamedEventsAndClosesItselfOnDone() {
        Page page = chromium.newPage();
        page.navigate(index + "?count=3&intervalMs=20");
        button(page, "Connect").click();

        assertThat(lines(page, "done")).hasCount(1);
        assertEquals(zeroTo(3), tickIds(page));
        // Named events never reach onmessage / 'message'.
        assertThat(lines(page, "message")).hasCount(0);
        assertThat(page.locator("#ready-state")).hasText("CLOSED");
        assertThat(page.locator("#last-event-id")).hasText("2");
    }

    @Test
    void resumesThroughAConnectionCutSeveralTimesWithoutLossOrDuplicates() {
        // Every connection through this proxy dies 400 ms after it opened: a stream of about 1.5 s is cut
        // several times. The browser reconnects by itself after retryMs and sends Last-Event-ID.
        try (FlakyProxy proxy = FlakyProxy.cutting(index.getPort(), Duration.ofMillis(400))) {
            Page page = chromium.newPage();
            page.navigate("http://localhost:" + proxy.port() + "/?count=30&intervalMs=50&retryMs=100");
            button(page, "Connect").click();

            assertThat(lines(page, "done")).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(20_000));
            assertEquals(zeroTo(30), tickIds(page));
            int reconnections = Integer.parseInt(page.locator("#reconnections").textContent());
            assertTrue(reconnections >= 2, "the stream should have been cut at least twice, was " + reconnections);

            List<FlakyProxy.Request> streamRequests = proxy.requests().stream()
                    .filter(r -> r.line().startsWith("GET /sse")).toList();
            assertNull(streamRequests.get(0).lastEventId(), "the first request has no Last-Event-ID");
            // On a busy machine a connection may be cut before its first tick: that reconnect has no id yet.
            // Once the browser has seen an id, every reconnect carries it, and it never goes back.
            long previousId = -1;
            for (FlakyProxy.Request resumed : streamRequests.subList(1, streamRequests.size())) {
                if (resumed.lastEventId() == null) {
                    assertEquals(-1, previousId, "a reconnect after an id must carry it: " + resumed);
                    continue;
                }
                assertTrue(resumed.lastEventId().matches("\\d+"), "a reconnect carries the last id: " + resumed);
                long id = Long.parseLong(resumed.lastEventId());
                assertTrue(id >= previousId, "Last-Event-ID never goes back: " + streamRequests);
                previousId = id;
            }
            assertTrue(previousId >= 0, "at least one reconnect resumed after an id: " + streamRequests);

            // Closed on done: no further request, even after many retry delays.
            assertThat(page.locator("#ready-state")).hasText("CLOSED");
            page.waitForTimeout(500);
            assertEquals(streamRequests.size(),
                    proxy.requests().stream().filter(r -> r.line().startsWith("GET /sse")).count());
        }
    }

    @Test
    void theCutButtonMakesTheBrowserReconnectAndResume() {
        Page page = chromium.newPage();
        page.navigate(index + "?count=30&intervalMs=50&retryMs=200");
        button(page, "Connect").click();
        assertThat(lines(page, "tick").nth(5)).isAttached();

        button(page, "Cut the connection").click();

        assertThat(lines(page, "open").nth(1)).containsText("reconnected (Last-Event-ID:");
        assertThat(lines(page, "done")).hasCount(1);
        assertEquals(zeroTo(30), tickIds(page));
        assertThat(page.locator("#reconnections")).hasText("1");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/02-custom-events.png")));
    }

    @Test
    void theBrowserStopsForGoodOnTheServers204() {
        // A client that ignores done (no close()): it reconnects with the last id, gets 204, and stops.
        Page page = chromium.newPage();
        page.navigate(index.toString());
        Object outcome = page.evaluate("""
                () => new Promise((resolve) => {
                  const ids = [];
                  let opens = 0;
                  const source = new EventSource('/sse?count=3&intervalMs=10&retryMs=100');
                  source.addEventListener('open', () => opens++);
                  source.addEventListener('tick', (e) => ids.push(e.lastEventId));
                  source.addEventListener('error', () => {
                    if (source.readyState === EventSource.CLOSED) resolve({ ids, opens });
                  });
                })""");
        // One open: the reconnect is answered by 204, which fires error (readyState CLOSED), not open.
        assertEquals("{ids=[0, 1, 2], opens=1}", outcome.toString());
    }
}
