package org.acme.sse.scaleout.chat;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.acme.sse.scaleout.TwoInstances;
import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.RoundRobinProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** The chat page in Chromium, behind a round-robin balancer (no stickiness) in front of two instances. */
class ChatPageIT {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    static TwoInstances instances;
    static RoundRobinProxy balancer;

    @BeforeAll
    static void start() {
        // A slower writer than the default: time to reload the page a few times in the middle of the answer.
        instances = new TwoInstances(Map.of("chat.generator.token-interval", "150ms"));
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

    private Page ask(String prompt) {
        Page page = chromium.newPage();
        page.navigate("http://127.0.0.1:" + balancer.port() + "/chat.html");
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Prompt")).fill(prompt);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ask")).click();
        assertThat(page.locator("#state")).hasText("streaming");
        return page;
    }

    @Test
    void aReloadMidAnswerLandsOnTheOtherInstanceAndTheAnswerCompletesWithNoChunkLostOrDoubled() {
        String prompt = "<b>reload</b> me";
        Page page = ask(prompt);
        Locator answer = page.locator("#answer");
        Locator served = page.locator("#served");
        assertThat(answer).containsText("A durable answer");
        String before = served.textContent();

        // Round robin, no stickiness: the stream after a reload lands on either instance; reload until it is the
        // other one (each reload is a resume mid-answer too).
        String after = before;
        for (int reloads = 0; reloads < 6 && after.equals(before); reloads++) {
            page.reload();
            try {
                page.waitForFunction("() => /^[AB]$/.test(document.querySelector('#served').textContent)");
            } catch (RuntimeException e) {
                throw new AssertionError("after a reload: state " + page.locator("#state").textContent() + ", "
                        + page.locator("#connections").textContent() + ", stored "
                        + page.evaluate("() => sessionStorage.getItem('chapter09.chat.answer')"), e);
            }
            after = served.textContent();
        }
        assertThat(after).isNotEqualTo(before);
        // It resumed after the last chunk it had shown, not from the start.
        assertThat(page.locator("#connections li").first()).not().containsText("after 0-0");
        assertThat(page.locator("#state")).hasText("streaming");

        assertThat(page.locator("#state")).hasText("done", new com.microsoft.playwright.assertions.LocatorAssertions
                .HasTextOptions().setTimeout(60_000));
        assertThat(answer.textContent()).isEqualTo(OfflineAnswerGenerator.answer(prompt));
        assertThat(answer.locator("b")).hasCount(0); // the prompt is shown as text, not parsed as HTML
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/09-scale-out-chat.png"))
                .setFullPage(true));
    }

    @Test
    void stopOnThePageStopsTheAnswerWhereverItRunsAndKeepsWhatWasWritten() {
        Page page = ask("stop");
        Locator answer = page.locator("#answer");
        assertThat(answer).containsText("offline generator");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop")).click();
        assertThat(page.locator("#state")).hasText("stopped");
        assertThat(answer).hasAttribute("data-state", "stopped");
        String kept = answer.textContent();
        assertThat(OfflineAnswerGenerator.answer("stop")).startsWith(kept).isNotEqualTo(kept);

        page.reload(); // the stopped answer is still shown, marked as such
        assertThat(page.locator("#state")).hasText("stopped");
        assertThat(answer.textContent()).isEqualTo(kept);
    }
}
