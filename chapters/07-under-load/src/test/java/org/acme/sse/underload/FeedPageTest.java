package org.acme.sse.underload;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.net.URL;
import java.nio.file.Paths;
import java.util.regex.Pattern;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The page: the feed over SSE and WebSocket in a real Chromium, and the server's counts of what is open. */
@QuarkusTest
class FeedPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void bothSubscriptionsReceiveTheFeedAndTheServerCountsThem() {
        Page page = chromium.newPage();
        page.setViewportSize(1100, 640);
        page.navigate(index.toString());
        button(page, "Subscribe over SSE").click();
        button(page, "Subscribe over WebSocket").click();
        assertThat(page.locator("#sse-lateness")).hasText(Pattern.compile("^\\d+ ms$"));
        assertThat(page.locator("#ws-lateness")).hasText(Pattern.compile("^\\d+ ms$"));
        assertThat(page.locator("#open-broadcast")).hasText("1");
        assertThat(page.locator("#open-ws")).hasText("1");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/07-under-load.png")));

        button(page, "Unsubscribe SSE").click();
        button(page, "Unsubscribe WebSocket").click();
        assertThat(page.locator("#open-broadcast")).hasText("0");
        assertThat(page.locator("#open-ws")).hasText("0");
    }

    private static com.microsoft.playwright.Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }
}
