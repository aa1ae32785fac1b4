package org.acme.sse.production;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.net.URL;
import java.util.regex.Pattern;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The chapter's page through the shipped nginx.conf, over plain HTTP/1.1. */
@QuarkusTest
class ProductionPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL quarkus;

    @Test
    void tickerShowsEachEventAsItArrivesThroughNginx() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            Page page = chromium.newPage();
            page.navigate(nginx.uri(ChapterNginx.HTTP, "/").toString());
            assertThat(page.locator("#protocol")).hasText("http/1.1");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start ticker")).click();
            Locator events = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("events"))
                    .getByRole(AriaRole.LISTITEM);
            assertThat(events.filter(new Locator.FilterOptions().setHasText("tick 3 +")))
                    .hasText(Pattern.compile("tick 3 \\+\\d+ ms"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop ticker")).click();
            assertThat(events.last()).hasText("stopped");
        }
    }
}
