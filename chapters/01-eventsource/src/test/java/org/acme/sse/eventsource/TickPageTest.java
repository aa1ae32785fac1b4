package org.acme.sse.eventsource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.net.URL;
import java.nio.file.Paths;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The page in a real Chromium: its own EventSource against the running app. */
@QuarkusTest
class TickPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    private Page open(String query) {
        Page page = chromium.newPage();
        page.navigate(index + "?" + query);
        return page;
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator lines(Page page, String type) {
        return page.locator("#log li[data-type=\"" + type + "\"]");
    }

    @Test
    void showsEachEventThenReconnectsAndStartsOverWhenTheStreamEnds() {
        Page page = open("count=3&intervalMs=50");
        button(page, "Connect").click();

        assertThat(lines(page, "message")).hasCount(3);
        assertThat(lines(page, "open").first()).containsText("readyState OPEN");
        for (int id = 0; id < 3; id++) {
            assertThat(lines(page, "message").nth(id)).containsText("{\"id\":" + id + ",");
        }
        // The server ended the response: for EventSource that is a lost connection, not the end.
        assertThat(lines(page, "error").first()).containsText("readyState CONNECTING");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/01-eventsource.png")));

        // After its reconnection delay (about 3 s in Chromium) the browser opens a new request,
        // and the server starts over from id 0: the cliff-hanger that chapter 02 resolves.
        assertThat(lines(page, "open")).hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(10_000));
        assertThat(lines(page, "message").nth(3)).containsText("{\"id\":0,");
        button(page, "Disconnect").click();
    }

    @Test
    void disconnectClosesTheSourceAndNoFurtherEventsArrive() {
        Page page = open("count=1000&intervalMs=50");
        button(page, "Connect").click();
        assertThat(page.locator("#ready-state")).hasText("OPEN");
        assertThat(lines(page, "message").nth(2)).isAttached();

        button(page, "Disconnect").click();

        assertThat(page.locator("#ready-state")).hasText("CLOSED");
        int received = lines(page, "message").count();
        // Ten intervals without a single new event (a negative can only be checked by waiting).
        page.waitForTimeout(500);
        assertThat(lines(page, "message")).hasCount(received);
        assertThat(lines(page, "error")).hasCount(0);
    }

    @Test
    void rendersServerDataAsTextNotMarkup() {
        // The server echoes the query parameters; markup typed by the user must come back as text.
        String markup = "<img src=x id=injected>";
        Page page = open("count=1&intervalMs=10");
        page.getByLabel("content").fill(markup);
        button(page, "Connect").click();

        assertThat(lines(page, "message").first()).containsText(markup);
        assertThat(page.locator("#injected")).hasCount(0);
        button(page, "Disconnect").click();
    }

    @Test
    void aRejectedRequestClosesTheSourceWithoutRetrying() {
        // count=0 gets a 400: EventSource fails the connection for good (readyState CLOSED), no reconnect.
        Page page = open("count=0&intervalMs=10");
        button(page, "Connect").click();

        assertThat(lines(page, "error")).hasCount(1);
        assertThat(page.locator("#ready-state")).hasText("CLOSED");
        assertThat(lines(page, "open")).hasCount(0);
        assertThat(button(page, "Connect")).isEnabled();
    }
}
