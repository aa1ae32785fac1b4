package org.acme.sse.abort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.acme.sse.abort.ServerCounts.awaitActive;
import static org.acme.sse.abort.ServerCounts.WITHIN_A_SECOND_OR_SO;
import static org.acme.sse.abort.ServerCounts.awaitNoStreams;

import java.net.URI;
import java.net.URL;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.FlakyProxy;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Chromium ends streams in every way a page can; the server's count (shown live on the page) comes back down. */
@QuarkusTest
class AbortPageTest {

    private static final LocatorAssertions.HasTextOptions WITHIN_CLEANUP =
            new LocatorAssertions.HasTextOptions().setTimeout(WITHIN_A_SECOND_OR_SO.toMillis());

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    @TestHTTPResource("/sse")
    URI sse;

    @BeforeEach
    void startFromNoStreams() {
        awaitNoStreams(); // the previous test's clients may still be leaving
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator rows(Page page, String kind, String state) {
        return page.locator("#streams tr[data-kind=\"" + kind + "\"][data-state=\"" + state + "\"]");
    }

    private Page openWithStreams(int eventSources, int fetches) {
        Page page = chromium.newPage();
        page.navigate(index + "?count=100000&intervalMs=50");
        assertThat(page.locator("#server-active")).hasText("0");
        for (int i = 0; i < eventSources; i++) {
            button(page, "Open EventSource").click();
        }
        for (int i = 0; i < fetches; i++) {
            button(page, "Start fetch").click();
        }
        assertThat(rows(page, "EventSource", "open")).hasCount(eventSources);
        assertThat(rows(page, "fetch", "open")).hasCount(fetches);
        return page;
    }

    @Test
    void closeAndAbortStopTheServersStreams() {
        // 2 + 3 streams and the page's live monitor: 6 connections, all that HTTP/1.1 allows per origin.
        Page page = openWithStreams(2, 3);
        assertThat(page.locator("#server-active")).hasText("5");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/04-abort.png")));

        button(page, "Close all EventSources").click();
        button(page, "Abort all fetches").click();

        // The live count on the page (itself an SSE stream) and GET /streams agree.
        assertThat(page.locator("#server-active")).hasText("0", WITHIN_CLEANUP);
        awaitActive(0, Duration.ofMillis(500));
        assertThat(rows(page, "fetch", "aborted")).hasCount(3);
        assertThat(rows(page, "EventSource", "closed")).hasCount(2);
        assertThat(page.locator("#log")).containsText("aborted by you (AbortError)");
    }

    @Test
    void anAbortWithAReasonAndATimeoutAreToldApart() {
        Page page = openWithStreams(0, 1);
        button(page, "Abort all fetches with a reason").click();
        assertThat(page.locator("#log")).containsText("aborted by you: Error: the user changed their mind");

        page.locator("#timeout-ms").fill("300");
        button(page, "Start fetch").click();
        assertThat(rows(page, "fetch", "timed out")).hasCount(1);
        assertThat(page.locator("#log")).containsText("timed out (AbortSignal.timeout)");
        awaitActive(0, WITHIN_A_SECOND_OR_SO);
    }

    @Test
    void aCutConnectionIsReportedAsANetworkErrorNotAsAnAbort() {
        // The page goes through a proxy that kills every connection after 1.5 s: not an abort, a real failure.
        try (FlakyProxy proxy = FlakyProxy.cutting(index.getPort(), Duration.ofMillis(1500))) {
            Page page = chromium.newPage();
            page.navigate("http://localhost:" + proxy.port() + "/?count=100000&intervalMs=50");
            button(page, "Start fetch").click();

            assertThat(rows(page, "fetch", "network error")).hasCount(1);
            assertThat(page.locator("#log")).containsText("network error: TypeError");
        }
    }

    @Test
    void overHttp1ASeventhConnectionWaitsUntilAnotherCloses() {
        // Chromium opens at most 6 HTTP/1.1 connections per origin. The live monitor is one; of 6 more
        // EventSources, 5 open and the last waits -- for as long as the others stay open.
        Page page = openWithStreams(5, 0);
        button(page, "Open EventSource").click();
        page.waitForTimeout(500);
        assertThat(rows(page, "EventSource", "open")).hasCount(5);
        assertThat(rows(page, "EventSource", "connecting")).hasCount(1);

        button(page, "close() 1").click();

        assertThat(rows(page, "EventSource", "open")).hasCount(5);
        assertThat(rows(page, "EventSource", "connecting")).hasCount(0);
        button(page, "Close all EventSources").click();
    }

    @Test
    void atTheLimitTheFetchWaitsForRetryAfterWhileTheEventSourceGivesUp() {
        // Fill the server to streams.max-concurrent (60 in tests) from outside the page.
        List<RawHttpStream> others = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                others.add(RawHttpStream.get(URI.create(sse + "?count=100000&intervalMs=1000")));
            }
            others.forEach(other -> other.awaitBodyContaining("event:tick", Duration.ofSeconds(10)));
            Page page = chromium.newPage();
            page.navigate(index + "?count=100000&intervalMs=50");

            // Both get a 503 with Retry-After: 5. EventSource only sees an error event, and closes for good.
            button(page, "Open EventSource").click();
            assertThat(rows(page, "EventSource", "failed")).hasCount(1);
            assertThat(page.locator("#log")).containsText("EventSource: failed, readyState CLOSED");
            // The fetch client reads the status and Retry-After, and says on the page that it waits.
            button(page, "Start fetch").click();
            assertThat(rows(page, "fetch", "waiting")).hasCount(1);
            assertThat(page.locator("#log")).containsText("trying again in 5 s (Retry-After), attempt 1");

            others.forEach(RawHttpStream::close); // room again
            assertThat(rows(page, "fetch", "open")).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
            // More than Retry-After later, the EventSource has not come back (an open event would show here).
            assertThat(rows(page, "EventSource", "failed")).hasCount(1);
            button(page, "Abort all fetches").click();
        } finally {
            others.forEach(RawHttpStream::close);
        }
        awaitActive(0, WITHIN_A_SECOND_OR_SO);
    }

    @Test
    void closingTheTabStopsItsStreams() {
        Page page = openWithStreams(2, 2);
        assertThat(page.locator("#server-active")).hasText("4");

        page.close();

        awaitActive(0, WITHIN_A_SECOND_OR_SO);
    }
}
