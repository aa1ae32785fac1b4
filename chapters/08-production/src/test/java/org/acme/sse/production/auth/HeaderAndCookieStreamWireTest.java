package org.acme.sse.production.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The two other ways in: a bearer token in a header (fetch), the session cookie (EventSource); both at open only. */
@QuarkusTest
class HeaderAndCookieStreamWireTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    @TestHTTPResource("/secure/fetch-sse")
    URL fetchSse;

    @TestHTTPResource("/secure/session-sse")
    URL sessionSse;

    private RawHttpStream postWithBearer(String token) {
        return RawHttpStream.send("POST", URI.create(fetchSse.toString()), EMPTY_JSON, "Content-Type", "application/json",
                "Accept", "text/event-stream", "Authorization", "Bearer " + token);
    }

    private RawHttpStream getWithCookie(String cookie) {
        return RawHttpStream.get(URI.create(sessionSse.toString()), "Accept", "text/event-stream",
                "Cookie", Login.COOKIE + "=" + cookie);
    }

    @Test
    void fetchSendsTheBearerTokenInAHeader() {
        String token = Login.bearerToken(Login.aliceCookie());
        try (RawHttpStream stream = postWithBearer(token)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.awaitBodyContaining("event:tick", WAIT)).contains("\"user\":\"alice\"", "\"via\":\"header\"");
        }
    }

    @Test
    void withoutATokenTheFetchStreamIsRefused() {
        given().contentType("application/json").body("{}").accept("text/event-stream")
                .when().post("/secure/fetch-sse")
                .then().statusCode(401).contentType(AuthProblemMapper.PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer realm=\"sse\"")
                .body("detail", equalTo("log in (the session cookie) or send Authorization: Bearer with a valid token"));
    }

    @Test
    void loggingOutEndsTheUsersBearerTokens() {
        String cookie = Login.aliceCookie();
        String token = Login.bearerToken(cookie);
        given().cookie(Login.COOKIE, cookie).when().post("/logout").then().statusCode(204);

        try (RawHttpStream stream = postWithBearer(token)) {
            assertThat(stream.status()).isEqualTo(401);
            assertThat(stream.header("Content-Type")).isEqualTo(AuthProblemMapper.PROBLEM_JSON);
        }
    }

    @Test
    void theSessionCookieOpensTheStream() {
        try (RawHttpStream stream = getWithCookie(Login.aliceCookie())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.awaitBodyContaining("event:tick", WAIT)).contains("\"via\":\"session\"");
        }
    }

    @Test
    void withoutASessionTheStreamIsRefusedWithAProblemNotALoginPage() {
        given().accept("text/event-stream")
                .when().get("/secure/session-sse")
                .then().statusCode(401).contentType(AuthProblemMapper.PROBLEM_JSON)
                .body("status", equalTo(401));
    }

    @Test
    void logoutClearsTheCookieButAnOpenStreamRunsOnToItsMaximumLifetime() {
        String cookie = Login.aliceCookie();
        try (RawHttpStream stream = getWithCookie(cookie)) {
            stream.awaitBodyContaining("\"n\":0,", WAIT);

            given().cookie(Login.COOKIE, cookie).when().post("/logout")
                    .then().statusCode(204)
                    .header("Set-Cookie", startsWith(Login.COOKIE + "=;"));
            String ticksAtLogout = stream.body();

            // Authorised at open: nothing checks the user again until the stream's maximum lifetime (3 s in tests).
            String body = stream.awaitEnd(WAIT);
            assertThat(body.length()).isGreaterThan(ticksAtLogout.length());
            assertThat(body).endsWith("event:reauth\n"
                    + "data:{\"detail\":\"this stream reached its maximum lifetime of 3 s: authenticate again to go on\"}\n\n");
        }
    }

    @Test
    void aCopyOfTheSessionCookieIsStillValidAfterLogout() {
        // The form login's cookie is the session itself (encrypted user name and expiry), not a key to a
        // server-side session: logging out removes it from this browser, and a copy works until it times out.
        // This is why the streams have a maximum lifetime, and why the ticket stream does not take cookies.
        String cookie = Login.aliceCookie();
        given().cookie(Login.COOKIE, cookie).when().post("/logout").then().statusCode(204);

        given().cookie(Login.COOKIE, cookie).when().get("/me")
                .then().statusCode(200).body("user", equalTo("alice"));
    }
}
