package org.acme.sse.fetchstreaming;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Pattern;

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

/** The page in Chromium: fetch() + TextDecoder + the shared SSE parser, the naive client, abort, errors, CORS. */
@QuarkusTest
class FetchPageTest {

    private static final String CHINESE = "你好，流式世界";

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    private Page open(String base, String query) {
        Page page = chromium.newPage();
        page.navigate(base + "?" + query);
        return page;
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator lines(Page page, String type) {
        return page.locator("#log li[data-type=\"" + type + "\"]");
    }

    @Test
    void showsEveryEventWithTheContentAndTheHeaderTheServerSaw() {
        Page page = open(index.toString(), "count=3&intervalMs=20&requestId=page-7");
        button(page, "Send").click();

        assertThat(page.locator("#status")).hasText("done");
        assertThat(lines(page, "tick")).hasCount(3);
        assertThat(lines(page, "tick").nth(2)).containsText("lastEventId=2 {\"id\":2,");
        assertThat(lines(page, "tick").nth(2)).containsText("\"requestId\":\"page-7\"");
        assertThat(lines(page, "done")).containsText("{\"lastId\":2}");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/03-fetch-streaming.png")));
    }

    @Test
    void keepsChineseTextIntactWhenTheResponseArrivesOneByteAtATime() {
        // The page calls the app through a proxy that hands over the response one byte per TCP segment, so
        // every 3-byte character is split across reads. The proxy is another origin: CORS is in play too.
        try (FlakyProxy proxy = FlakyProxy.trickling(index.getPort(), 1, Duration.ofMillis(1))) {
            Page page = open("http://127.0.0.1:" + index.getPort() + "/",
                    "count=2&intervalMs=10&content=" + CHINESE + "&server=http://127.0.0.1:" + proxy.port());
            button(page, "Send").click();

            assertThat(page.locator("#status")).hasText("done", new LocatorAssertions.HasTextOptions().setTimeout(20_000));
            assertThat(lines(page, "tick")).hasCount(2);
            for (String text : lines(page, "tick").allTextContents()) {
                assertTrue(text.contains("\"content\":\"" + CHINESE + "\""), text);
                assertFalse(text.contains("\uFFFD"), text);
            }
        }
    }

    @Test
    void theNaiveClientBreaksOnTwoObjectsInOneChunk() {
        Page page = open(index.toString(), "count=4&intervalMs=20&naive=true");
        button(page, "Send").click();

        assertThat(page.locator("#status")).hasText("failed");
        assertThat(lines(page, "error")).containsText(Pattern.compile("SyntaxError: .*JSON"));
    }

    @Test
    void abortEndsTheStreamAndIsNotReportedAsAnError() {
        Page page = open(index.toString(), "count=1000&intervalMs=30");
        button(page, "Send").click();
        assertThat(lines(page, "tick").nth(1)).isAttached();

        button(page, "Abort").click();

        assertThat(page.locator("#status")).hasText("aborted");
        assertThat(lines(page, "aborted")).hasText(Pattern.compile("aborted by you"));
        assertThat(lines(page, "error")).hasCount(0);
    }

    @Test
    void showsTheServersProblemInsteadOfReadingAnErrorAsAStream() {
        Page page = open(index.toString(), "count=0");
        button(page, "Send").click();

        assertThat(page.locator("#status")).hasText("failed");
        assertThat(lines(page, "error")).containsText("StreamError: 400 count must be between 1 and 1000, was 0");
    }

    @Test
    void refusesA200ThatIsNotAnEventStream() {
        // /fetch-raw answers 200 text/plain: a success, but not events. (Accept: */* so it does not answer 406.)
        Page page = open(index.toString(), "");
        Object message = page.evaluate("""
                async () => {
                  const { fetchEventStream } = await import('/lib/fetch-event-stream.js');
                  try {
                    await fetchEventStream('/fetch-raw?count=1&intervalMs=10',
                        { body: { content: 'x' }, headers: { Accept: '*/*' }, onEvent: () => {} });
                    return 'no error';
                  } catch (e) {
                    return `${e.name}: ${e.message}`;
                  }
                }""");
        assertEquals("StreamError: expected text/event-stream, got text/plain;charset=UTF-8", message);
    }

    @Test
    void theBrowserBlocksACallFromAnOriginThatIsNotAllowed() {
        // Page on http://localhost:<port>, server on http://127.0.0.1:<port>: another origin, and not one the
        // app allows. The preflight gets no Access-Control-Allow-Origin, so Chromium never sends the POST.
        Page page = open(index.toString(), "count=1&intervalMs=10&server=http://127.0.0.1:" + index.getPort());
        button(page, "Send").click();

        assertThat(page.locator("#status")).hasText("failed");
        assertThat(lines(page, "error")).containsText("TypeError: Failed to fetch");
    }
}
