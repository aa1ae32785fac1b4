package org.acme.sse.customevents;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Chromium's EventSource joins the data: lines of each token with LF: the code block arrives as it was written. */
@QuarkusTest
class MultiLineDataPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    @Test
    void showsTheAnswerWithEveryLineBreakItHadAndNoOther() {
        Page page = chromium.newPage();
        page.navigate(index + "?answerIntervalMs=20");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stream an answer")).click();

        assertThat(page.locator("#answer-status")).hasText("done");
        assertEquals("""
                Here is a loop in Java:

                ```java
                for (int i = 0; i < 3; i++) {
                    System.out.println(i);
                }
                ```

                It prints 0, 1 and 2.""", page.locator("#answer").textContent());
        // Rendered as text: no element was made out of the answer.
        assertEquals(0, page.locator("#answer > *").count());
    }
}
