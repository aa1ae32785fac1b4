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

/** The chapter's pages through the shipped nginx.conf, over plain HTTP/1.1. */
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

    @Test
    void theLinkedLoginPageLogsInAndStreamsWithATicketThroughNginx() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            Page page = chromium.newPage();
            page.navigate(nginx.uri(ChapterNginx.HTTP, "/").toString());
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("log in")).click();
            assertThat(page).hasURL(nginx.uri(ChapterNginx.HTTP, "/login.html").toString());

            page.getByLabel("password").fill("alice-demo-password");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in").setExact(true)).click();
            assertThat(page.locator("#who")).hasText("alice");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open with a ticket").setExact(true)).click();
            assertThat(page.locator("#status")).hasText("open (ticket)");
            assertThat(page.locator("#log li[data-type=\"tick\"]").nth(1))
                    .containsText("\"user\":\"alice\",\"via\":\"ticket\"");
        }
    }
}
