package org.acme.sse.ssevsws;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.FlakyProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The "reconnection" row, in Chromium: EventSource reconnects and resumes by itself; a WebSocket does neither,
 * and the page's own code (reconnecting-websocket.js) has to -- with backoff, and resuming from lastId + 1.
 */
@QuarkusTest
class ReconnectPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams(); // the previous test's clients may still be leaving
    }

    static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** The log lines of a panel ("sse" or "ws") of one type. */
    static Locator lines(Page page, String panel, String type) {
        return page.locator("#" + panel + "-log li[data-type=\"" + type + "\"]");
    }

    /** The tick ids a panel logged, in order. */
    static List<Integer> tickIds(Page page, String panel) {
        return lines(page, panel, "tick").allTextContents().stream()
                .map(text -> Integer.parseInt(text.replaceAll("(?s).*id=(\\d+) .*", "$1")))
                .toList();
    }

    static List<Integer> zeroTo(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void eventSourceReconnectsAndResumesByItselfAfterADrop() {
        Page page = chromium.newPage();
        page.navigate(index + "?count=30&intervalMs=50&retryMs=200");
        button(page, "Connect EventSource").click();
        assertThat(lines(page, "sse", "tick").nth(5)).isAttached();

        button(page, "Drop EventSource connection").click();

        assertThat(lines(page, "sse", "open").nth(1)).containsText("reconnected by the browser, Last-Event-ID:");
        assertThat(lines(page, "sse", "done")).hasCount(1);
        assertEquals(zeroTo(30), tickIds(page, "sse"));
        assertThat(page.locator("#sse-reconnections")).hasText("1");
    }

    @Test
    void webSocketReconnectsWithThePagesOwnCodeAndResumesAfterADrop() {
        Page page = chromium.newPage();
        page.navigate(index + "?count=30&intervalMs=50");
        button(page, "Connect WebSocket").click();
        assertThat(lines(page, "ws", "tick").nth(5)).isAttached();

        button(page, "Drop WebSocket connection").click();

        assertThat(lines(page, "ws", "retry")).containsText("close 1001 \"dropped on request\"");
        assertThat(lines(page, "ws", "open").nth(1)).containsText("reconnected by the page: ?count=30&intervalMs=50&from=");
        assertThat(lines(page, "ws", "done")).hasCount(1);
        assertEquals(zeroTo(30), tickIds(page, "ws"));
        assertThat(page.locator("#ws-reconnections")).hasText("1");
        assertThat(lines(page, "ws", "closed")).containsText("close 1000");
    }

    @Test
    void webSocketResumesThroughRepeatedNetworkCuts() {
        // Every connection through this proxy dies 400 ms after it opened, without a close frame: code 1006.
        try (FlakyProxy proxy = FlakyProxy.cutting(index.getPort(), Duration.ofMillis(400))) {
            Page page = chromium.newPage();
            page.navigate("http://localhost:" + proxy.port() + "/?count=30&intervalMs=50");
            button(page, "Connect WebSocket").click();

            assertThat(lines(page, "ws", "done")).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(20_000));
            assertEquals(zeroTo(30), tickIds(page, "ws"));
            int reconnections = Integer.parseInt(page.locator("#ws-reconnections").textContent());
            assertTrue(reconnections >= 2, "the socket should have been cut at least twice, was " + reconnections);
            assertThat(lines(page, "ws", "retry").first()).containsText("close 1006");

            // Each new handshake asked for the id after the last one received: from=0, then strictly increasing.
            List<Integer> froms = proxy.requests().stream().map(FlakyProxy.Request::line)
                    .filter(line -> line.startsWith("GET /ws?"))
                    .map(line -> Integer.parseInt(line.replaceAll(".*from=(\\d+).*", "$1"))).toList();
            assertEquals(0, froms.get(0));
            for (int i = 1; i < froms.size(); i++) {
                assertTrue(froms.get(i) > froms.get(i - 1), "from should grow with each reconnection: " + froms);
            }
        }
    }

    @Test
    void thePageRestoresRateAndPauseOnTheNewConnection() {
        // The server forgets everything with the connection; the page carries it over itself.
        Page page = chromium.newPage();
        page.navigate(index + "?count=1000&intervalMs=50");
        button(page, "Connect WebSocket").click();
        assertThat(lines(page, "ws", "tick").nth(1)).isAttached();
        page.locator("#ws-rate").fill("40");
        button(page, "Set rate").click();
        button(page, "Pause").click();
        assertThat(lines(page, "ws", "state").nth(1)).containsText("paused: true, intervalMs: 40");

        button(page, "Drop WebSocket connection").click();

        assertThat(lines(page, "ws", "open").nth(1)).containsText("?count=1000&intervalMs=40&from=");
        assertThat(lines(page, "ws", "state").nth(2)).containsText("paused: true, intervalMs: 40");
        int ticks = lines(page, "ws", "tick").count();
        page.waitForTimeout(300); // seven ticks' worth of time
        assertEquals(ticks, lines(page, "ws", "tick").count());
    }

    @Test
    void aBareWebSocketStaysClosedWhenTheServerClosesIt() {
        // Without reconnecting-websocket.js: the browser's WebSocket after the same drop.
        Page page = chromium.newPage();
        page.navigate(index.toString());
        Object outcome = page.evaluate("""
                () => new Promise((resolve) => {
                  const url = new URL('/ws?count=1000&intervalMs=20', location.href);
                  url.protocol = 'ws:';
                  const socket = new WebSocket(url);
                  let messages = 0;
                  socket.addEventListener('message', () => {
                    if (++messages === 3) socket.send(JSON.stringify({ action: 'drop' }));
                  });
                  socket.addEventListener('close', (event) => {
                    const atClose = messages;
                    // Long enough for many reconnections, had there been any: there are none.
                    setTimeout(() => resolve(
                        `code=${event.code} readyState=${socket.readyState} messagesAfterClose=${messages - atClose}`), 700);
                  });
                })""");
        assertEquals("code=1001 readyState=3 messagesAfterClose=0", outcome);
        ServerStreams.awaitActive(0, ServerStreams.WITHIN_A_SECOND_OR_SO); // and the server has no stream left running for it
    }

    @Test
    void aBareEventSourceComesBackByItselfAfterTheSameDrop() {
        // The same few lines with EventSource: after the cut the browser reconnects with Last-Event-ID, and the
        // ids go on without a gap or a repeat -- no code of ours involved.
        Page page = chromium.newPage();
        page.navigate(index.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = (Map<String, Object>) page.evaluate("""
                () => new Promise((resolve) => {
                  const source = new EventSource('/sse?count=1000&intervalMs=20&retryMs=100');
                  const ids = [];
                  let opens = 0;
                  source.addEventListener('open', () => opens++);
                  source.addEventListener('tick', (event) => {
                    ids.push(Number(event.lastEventId));
                    if (event.lastEventId === '2') fetch('/sse/cut', { method: 'POST' });
                    if (opens === 2 && ids.length >= 8) {
                      source.close();
                      resolve({ opens, ids });
                    }
                  });
                })""");
        assertEquals(2, ((Number) outcome.get("opens")).intValue());
        List<Integer> ids = ((List<?>) outcome.get("ids")).stream().map(n -> ((Number) n).intValue()).toList();
        assertEquals(zeroTo(ids.size()), ids);
    }

    @Test
    void thePageDoesNotRetryParametersTheServerRefused() {
        Page page = chromium.newPage();
        page.navigate(index + "?count=0");
        button(page, "Connect WebSocket").click();

        assertThat(lines(page, "ws", "closed"))
                .containsText("close 1008 \"count must be between 1 and 1000, was 0\", clean: true: no reconnection");
        page.waitForTimeout(500); // a retry, had there been one, would have come after 50 to 100 ms
        assertThat(lines(page, "ws", "retry")).hasCount(0);
        assertThat(lines(page, "ws", "open")).hasCount(1);
        assertThat(page.locator("#ws-reconnections")).hasText("0");
    }

    @Test
    void disconnectWhileWaitingToReconnectStopsForGood() {
        // Between two tries there is no socket to close: close() must still end the client and say so.
        Page page = chromium.newPage();
        page.navigate(index.toString());
        Object events = page.evaluate("""
                async () => {
                  const { connectTicks } = await import('/reconnecting-websocket.js');
                  const events = [];
                  return await new Promise((resolve) => {
                    const ticks = connectTicks({ count: 1000, intervalMs: 50 }, {
                      open: () => {
                        events.push('open');
                        ticks.send({ action: 'drop' });
                      },
                      closed: (event, retryDelay) => {
                        if (retryDelay !== null) {
                          events.push('waiting to reconnect');
                          ticks.close();
                        } else {
                          events.push(`closed for good: ${event.reason}`);
                          setTimeout(() => resolve(events), 500); // and no open comes after it
                        }
                      },
                    });
                  });
                }""");
        assertEquals("[open, waiting to reconnect, closed for good: closed while waiting to reconnect]", events.toString());
        ServerStreams.awaitActive(0, ServerStreams.WITHIN_A_SECOND_OR_SO);
    }
}
