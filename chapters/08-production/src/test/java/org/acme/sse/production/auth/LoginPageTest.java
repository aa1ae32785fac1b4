package org.acme.sse.production.auth;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.FlakyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The login page in Chromium: log in, read the stream three ways, log out, and what EventSource does then. */
@QuarkusTest
class LoginPageTest {

    // Streams end after 3 s in tests (login.stream-max-lifetime); a reconnect takes a few more.
    private static final LocatorAssertions.HasTextOptions LONG = new LocatorAssertions.HasTextOptions().setTimeout(30_000);

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/login.html")
    URL loginPage;

    /** The page, and every request it makes to a path that starts with {@code path}, in order. */
    private record Opened(Page page, List<Request> requests) {
    }

    private Opened open(String url, String path) {
        Page page = chromium.newPage();
        List<Request> requests = new CopyOnWriteArrayList<>();
        page.onRequest(request -> {
            if (request.url().contains(path)) {
                requests.add(request);
            }
        });
        page.navigate(url);
        return new Opened(page, requests);
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator lines(Page page, String type) {
        return page.locator("#log li[data-type=\"" + type + "\"]");
    }

    private static void logIn(Page page, String password) {
        page.getByLabel("password").fill(password);
        button(page, "Log in").click();
    }

    @Test
    void logInOpenTheTicketStreamAndSeeEvents() {
        Opened opened = open(loginPage.toString(), "/secure/sse");
        Page page = opened.page();
        logIn(page, Login.ALICE_PASSWORD);
        assertThat(page.locator("#who")).hasText("alice");

        button(page, "Open with a ticket").click();

        assertThat(page.locator("#status")).hasText("open (ticket)");
        assertThat(lines(page, "tick").nth(1)).containsText("\"user\":\"alice\",\"via\":\"ticket\"");
        assertThat(opened.requests().get(0).url()).matches(".*/secure/sse\\?ticket=[A-Za-z0-9_-]{43}");
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/screenshots/08-login.png")));
    }

    @Test
    void aWrongPasswordIsShownAndOpensNothing() {
        Page page = open(loginPage.toString(), "/secure/").page();
        logIn(page, "not-her-password");
        assertThat(lines(page, "error")).hasText("error: wrong user or password");
        assertThat(page.locator("#who")).hasText("nobody");

        button(page, "Open with a ticket").click();
        assertThat(page.locator("#status")).hasText("signed out: log in again");
    }

    @Test
    void atTheEndOfItsLifetimeTheTicketStreamReopensWithAFreshTicket() {
        Opened opened = open(loginPage.toString(), "/secure/sse");
        Page page = opened.page();
        logIn(page, Login.ALICE_PASSWORD);
        assertThat(page.locator("#who")).hasText("alice");
        button(page, "Open with a ticket").click();

        assertThat(lines(page, "reauth").first()).containsText("maximum lifetime of 3 s", new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        // The second stream starts from n=0 again.
        assertThat(page.locator("#log li[data-type=\"tick\"]", new Page.LocatorOptions().setHasText("\"n\":0,")))
                .hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
        assertThat(page.locator("#status")).hasText("open (ticket)");
        List<String> urls = opened.requests().stream().map(Request::url).toList();
        assertThat(urls).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
    }

    @Test
    void afterLogoutTheTicketStreamGetsNoNewTicketAndThePageSaysSo() {
        Opened opened = open(loginPage.toString(), "/secure/sse");
        Page page = opened.page();
        logIn(page, Login.ALICE_PASSWORD);
        assertThat(page.locator("#who")).hasText("alice");
        button(page, "Open with a ticket").click();
        assertThat(page.locator("#status")).hasText("open (ticket)");

        button(page, "Log out").click();
        assertThat(page.locator("#who")).hasText("nobody");

        // The open stream runs to its maximum lifetime; then POST /stream-tickets is refused.
        assertThat(page.locator("#status")).hasText("signed out: log in again", LONG);
        assertThat(opened.requests()).hasSize(1);
    }

    @Test
    void afterLogoutTheNextReconnectIsRefusedAndEventSourceStopsTrying() {
        Opened opened = open(loginPage.toString(), "/secure/session-sse");
        Page page = opened.page();
        logIn(page, Login.ALICE_PASSWORD);
        assertThat(page.locator("#who")).hasText("alice");
        button(page, "Open with the cookie").click();
        assertThat(lines(page, "tick").first()).containsText("\"via\":\"session\"");

        button(page, "Log out").click();
        assertThat(page.locator("#who")).hasText("nobody");

        // The server ends the stream at its maximum lifetime; EventSource reconnects without a cookie, gets a 401,
        // and closes for good: the page says so.
        assertThat(page.locator("#status")).hasText("signed out: log in again", LONG);
        assertThat(opened.requests()).hasSize(2);
        // A retry would come after Chromium's reconnection delay (3 s): wait longer, and see none.
        page.waitForTimeout(5_000);
        assertThat(opened.requests()).hasSize(2);
    }

    @Test
    void aNetworkErrorIsRetriedByEventSourceWithTheCookie() {
        // Every connection through this proxy is cut 2 s after it opened: a network error, not a refusal.
        try (FlakyProxy proxy = FlakyProxy.cutting(loginPage.getPort(), Duration.ofMillis(2_000))) {
            Page page = open("http://127.0.0.1:" + proxy.port() + "/login.html", "/secure/session-sse").page();
            logIn(page, Login.ALICE_PASSWORD);
            assertThat(page.locator("#who")).hasText("alice");
            button(page, "Open with the cookie").click();

            assertThat(lines(page, "state").filter(new Locator.FilterOptions().setHasText("reconnecting (cookie)")).first())
                    .isAttached(new LocatorAssertions.IsAttachedOptions().setTimeout(30_000));
            // The stream starts again from n=0 over a new connection, and the page is not told it was refused.
            assertThat(page.locator("#log li[data-type=\"tick\"]", new Page.LocatorOptions().setHasText("\"n\":0,")))
                    .hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
            assertThat(lines(page, "state").filter(new Locator.FilterOptions().setHasText("signed out"))).hasCount(0);
            long streamRequests = proxy.requests().stream().filter(r -> r.line().startsWith("GET /secure/session-sse")).count();
            assertThat(streamRequests).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aNetworkErrorOnTheTicketStreamReopensItWithAFreshTicket() {
        try (FlakyProxy proxy = FlakyProxy.cutting(loginPage.getPort(), Duration.ofMillis(2_000))) {
            Page page = open("http://127.0.0.1:" + proxy.port() + "/login.html", "/secure/sse").page();
            logIn(page, Login.ALICE_PASSWORD);
            assertThat(page.locator("#who")).hasText("alice");
            button(page, "Open with a ticket").click();

            // Cut after 2 s, before the stream's 3 s lifetime: no reauth event, a network error. The page does not
            // let EventSource retry with the spent ticket; it gets a new one, and the stream starts again.
            assertThat(page.locator("#log li[data-type=\"tick\"]", new Page.LocatorOptions().setHasText("\"n\":0,")))
                    .hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
            List<String> ticketUrls = proxy.requests().stream().map(FlakyProxy.Request::line)
                    .filter(line -> line.startsWith("GET /secure/sse?ticket=")).toList();
            assertThat(ticketUrls).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
            assertThat(lines(page, "state").filter(new Locator.FilterOptions().setHasText("signed out"))).hasCount(0);
        }
    }

    @Test
    void fetchSendsTheBearerTokenInTheAuthorizationHeader() {
        Opened opened = open(loginPage.toString(), "/secure/fetch-sse");
        Page page = opened.page();
        logIn(page, Login.ALICE_PASSWORD);
        assertThat(page.locator("#who")).hasText("alice");

        button(page, "Fetch with a bearer token").click();

        assertThat(lines(page, "tick").first()).containsText("\"user\":\"alice\",\"via\":\"header\"");
        assertThat(opened.requests().get(0).headerValue("authorization")).matches("Bearer [A-Za-z0-9_-]{43}");
        assertThat(page.locator("#status")).hasText("ended: fetch again for a new stream", LONG);
    }
}
