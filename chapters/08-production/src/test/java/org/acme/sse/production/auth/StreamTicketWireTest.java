package org.acme.sse.production.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The stream ticket on the wire: how to get one, the stream it opens, and every way it is refused. */
@QuarkusTest
class StreamTicketWireTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource("/secure/sse")
    URL secureSse;

    private URI withTicket(String ticket) {
        return URI.create(secureSse + "?ticket=" + ticket);
    }

    @Test
    void aWrongPasswordIsRefused() {
        given().formParams(Map.of("j_username", Login.ALICE, "j_password", "not-her-password"))
                .when().post("/j_security_check")
                .then().statusCode(401).header("Set-Cookie", nullValue());
    }

    @Test
    void aTicketNeedsALogin() {
        given().when().post("/stream-tickets")
                .then().statusCode(401)
                .contentType(AuthProblemMapper.PROBLEM_JSON)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401), "title", equalTo("Unauthorized"));
    }

    @Test
    void aUserWithoutTheReaderRoleGetsNoTicket() {
        String bob = Login.sessionCookie("bob", "bob-demo-password");
        given().cookie(Login.COOKIE, bob).when().post("/stream-tickets")
                .then().statusCode(403)
                .contentType(AuthProblemMapper.PROBLEM_JSON)
                .body("detail", equalTo("this user may not read the stream"));
    }

    @Test
    void aTicketIs256RandomBitsThatNoCacheKeeps() {
        String cookie = Login.aliceCookie();
        var response = given().cookie(Login.COOKIE, cookie).when().post("/stream-tickets")
                .then().statusCode(200).header("Cache-Control", "no-store")
                .body("expiresAt", not(emptyOrNullString()))
                .extract();
        String ticket = response.path("ticket");
        assertThat(Base64.getUrlDecoder().decode(ticket)).hasSize(32);
        assertThat(Login.ticket(cookie)).isNotEqualTo(ticket);
    }

    @Test
    void aBearerTokenGetsATicketToo() {
        String token = Login.bearerToken(Login.aliceCookie());
        given().header("Authorization", "Bearer " + token).when().post("/stream-tickets")
                .then().statusCode(200).body("ticket", not(emptyOrNullString()));
    }

    @Test
    void anUnknownBearerTokenIsRefused() {
        given().header("Authorization", "Bearer " + "x".repeat(43)).when().post("/stream-tickets")
                .then().statusCode(401).contentType(AuthProblemMapper.PROBLEM_JSON)
                .body("detail", equalTo("log in (the session cookie) or send Authorization: Bearer with a valid token"));
    }

    @Test
    void aTicketOpensTheStreamOfItsUser() {
        String ticket = Login.ticket(Login.aliceCookie());
        try (RawHttpStream stream = RawHttpStream.get(withTicket(ticket), "Accept", "text/event-stream")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.awaitBodyContaining("event:tick", WAIT)).contains("\"user\":\"alice\"", "\"via\":\"ticket\"");
        }
    }

    @Test
    void aMissingTicketIsRefusedAndNoStreamStarts() {
        assertRefused(URI.create(secureSse.toString()),
                "a stream ticket is required: POST /stream-tickets, then open the stream with ?ticket=");
        assertRefused(withTicket(""),
                "a stream ticket is required: POST /stream-tickets, then open the stream with ?ticket=");
    }

    @Test
    void aForgedTicketIsRefused() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertRefused(withTicket(forged), "unknown stream ticket");
    }

    @Test
    void aTicketWorksOnce() {
        String ticket = Login.ticket(Login.aliceCookie());
        try (RawHttpStream first = RawHttpStream.get(withTicket(ticket), "Accept", "text/event-stream")) {
            assertThat(first.status()).isEqualTo(200);
            first.awaitBodyContaining("event:tick", WAIT);
        }
        assertRefused(withTicket(ticket), "stream ticket already used: get a new one");
    }

    @Test
    void ofTwoRequestsWithOneTicketAtOnceOnlyOneGetsTheStream() {
        String ticket = Login.ticket(Login.aliceCookie());
        try (RawHttpStream a = RawHttpStream.get(withTicket(ticket), "Accept", "text/event-stream");
                RawHttpStream b = RawHttpStream.get(withTicket(ticket), "Accept", "text/event-stream")) {
            assertThat(List.of(a.status(), b.status())).containsExactlyInAnyOrder(200, 401);
        }
    }

    @Test
    void theStreamEndsAtItsMaximumLifetimeWithAReauthEvent() {
        // login.stream-max-lifetime is 3 s in tests.
        String ticket = Login.ticket(Login.aliceCookie());
        try (RawHttpStream stream = RawHttpStream.get(withTicket(ticket), "Accept", "text/event-stream")) {
            String body = stream.awaitEnd(WAIT);
            assertThat(body).contains("event:tick").endsWith("""
                    event:reauth
                    data:{"detail":"this stream reached its maximum lifetime of 3 s: authenticate again to go on"}

                    """);
        }
    }

    @Test
    void aClientThatLeavesStopsItsStreamOnTheServer() {
        String cookie = Login.aliceCookie();
        // Start from a known quiet state: streams of earlier tests end within their 3 s lifetime.
        await().atMost(WAIT).until(() -> openStreams(cookie), open -> open == 0);
        try (RawHttpStream stream = RawHttpStream.get(withTicket(Login.ticket(cookie)), "Accept", "text/event-stream")) {
            stream.awaitBodyContaining("event:tick", WAIT);
            assertThat(openStreams(cookie)).isEqualTo(1);
        }
        // Well before the stream's 3 s lifetime would have ended it.
        await().atMost(Duration.ofMillis(1_500)).until(() -> openStreams(cookie), open -> open == 0);
    }

    private static int openStreams(String cookie) {
        return given().cookie(Login.COOKIE, cookie).when().get("/secure/open-streams")
                .then().statusCode(200).extract().path("open");
    }

    /** 401, a problem body with this detail, a challenge, and not one byte of an event stream. */
    static void assertRefused(URI uri, String detail) {
        try (RawHttpStream stream = RawHttpStream.get(uri, "Accept", "text/event-stream")) {
            assertThat(stream.status()).isEqualTo(401);
            assertThat(stream.header("Content-Type")).isEqualTo(AuthProblemMapper.PROBLEM_JSON);
            assertThat(stream.header("WWW-Authenticate")).isEqualTo("StreamTicket realm=\"sse\"");
            String body = stream.awaitEnd(WAIT);
            assertThat(body).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                    + detail + "\"}");
        }
    }
}
