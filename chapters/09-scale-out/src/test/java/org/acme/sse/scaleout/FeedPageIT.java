package org.acme.sse.scaleout;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.RoundRobinProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** The page in Chromium, behind a round-robin balancer in front of two instances. */
class FeedPageIT {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    static TwoInstances instances;
    static RoundRobinProxy balancer;

    @BeforeAll
    static void start() {
        instances = new TwoInstances(Map.of());
        balancer = RoundRobinProxy.to(List.of(instances.a.port(), instances.b.port()));
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void switchingInstanceKeepsTheFeedWholeAndShowsWhoServedEachConnection() {
        Page page = chromium.newPage();
        page.navigate("http://127.0.0.1:" + balancer.port() + "/");
        Locator instance = page.locator("#instance");
        assertThat(instance).hasText(java.util.regex.Pattern.compile("^[AB]$"));
        String first = instance.textContent();

        post(page, "<b>first</b>");
        Locator messages = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Messages")).locator("li");
        // rendered as text: the markup shows, it is not parsed
        assertThat(messages.first().locator(".text")).hasText("<b>first</b>");
        assertThat(messages.first().locator("b")).hasCount(0);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Switch instance")).click();
        String other = first.equals("A") ? "B" : "A";
        assertThat(instance).hasText(other);
        // a message posted while the page moved is neither lost nor doubled
        instances.post(instances.a, "while switching");
        post(page, "second");

        assertThat(messages).hasCount(3);
        assertThat(messages.nth(0).locator(".text")).hasText("<b>first</b>");
        assertThat(messages.nth(1).locator(".text")).hasText("while switching");
        assertThat(messages.nth(2).locator(".text")).hasText("second");
        assertThat(messages.nth(2).locator(".meta")).containsText("received from " + other);
        Locator rows = page.locator("#connections tr");
        assertThat(rows.last().locator("td").nth(1)).hasText(other);
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/09-scale-out.png"))
                .setFullPage(true));
    }

    private static void post(Page page, String text) {
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message")).fill(text);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Post")).click();
        assertThat(page.locator("#post-status")).containsText(" via ");
    }
}
