package org.acme.sse.production.auth;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.FlakyProxy;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The session cookie across origins: a page on http://127.0.0.1:A reads the stream of http://127.0.0.1:B. Another
 * port is another origin but the same site, so the SameSite cookie may go; it goes only with withCredentials, and
 * the browser hands over the answer only if CORS allows credentials for that exact origin.
 */
@QuarkusTest
@TestProfile(CrossOriginCookieTest.CredentialedCors.class)
class CrossOriginCookieTest {

    /** What to add to application.properties when the page is served from another origin than the stream. */
    public static class CredentialedCors implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.cors.enabled", "true",
                    // One exact origin (here a pattern for the test's random port), never "*": a browser refuses a
                    // credentialed answer with Access-Control-Allow-Origin: *.
                    "quarkus.http.cors.origins", "/http://127\\.0\\.0\\.1:[0-9]+/",
                    "quarkus.http.cors.access-control-allow-credentials", "true",
                    "quarkus.http.cors.methods", "GET,POST");
        }
    }

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/secure/session-sse")
    URL sessionSse;

    private static final String OPEN_STREAM = """
            ([url, withCredentials]) => new Promise((resolve) => {
              const source = new EventSource(url, { withCredentials });
              source.addEventListener('tick', (event) => { source.close(); resolve('tick ' + event.data); });
              source.addEventListener('error', () => {
                if (source.readyState === EventSource.CLOSED) resolve('closed');
              });
            })""";

    /** A page logged in as alice, served by the app through a plain TCP forwarder: another origin, same app. */
    private Page pageOnAnotherOrigin(FlakyProxy forwarder) {
        Page page = chromium.newPage();
        page.navigate("http://127.0.0.1:" + forwarder.port() + "/login.html");
        page.getByLabel("password").fill(Login.ALICE_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in").setExact(true)).click();
        assertThat(page.locator("#who")).hasText("alice");
        return page;
    }

    @Test
    void withCredentialsAndCredentialedCorsTheCookieOpensTheStream() {
        try (FlakyProxy forwarder = FlakyProxy.cutting(sessionSse.getPort(), Duration.ofMinutes(10))) {
            Page page = pageOnAnotherOrigin(forwarder);
            String streamUrl = "http://127.0.0.1:" + sessionSse.getPort() + "/secure/session-sse";

            Object result = page.evaluate(OPEN_STREAM, new Object[] { streamUrl, true });

            assertThat((String) result).startsWith("tick ").contains("\"user\":\"alice\",\"via\":\"session\"");
        }
    }

    @Test
    void withoutWithCredentialsTheCookieStaysHomeAndTheStreamIsRefused() {
        try (FlakyProxy forwarder = FlakyProxy.cutting(sessionSse.getPort(), Duration.ofMinutes(10))) {
            Page page = pageOnAnotherOrigin(forwarder);
            String streamUrl = "http://127.0.0.1:" + sessionSse.getPort() + "/secure/session-sse";

            Object result = page.evaluate(OPEN_STREAM, new Object[] { streamUrl, false });

            assertThat(result).isEqualTo("closed"); // a 401: EventSource fails the connection, no retry
        }
    }

    @Test
    void theCredentialedAnswerNamesTheExactOriginAndAllowsCredentials() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sessionSse.toString()), "Accept", "text/event-stream",
                "Origin", "http://127.0.0.1:1234", "Cookie", Login.COOKIE + "=" + Login.aliceCookie())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:1234");
            assertThat(stream.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        }
    }
}
