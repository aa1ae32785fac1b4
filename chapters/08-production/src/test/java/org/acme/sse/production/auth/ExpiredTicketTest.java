package org.acme.sse.production.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A ticket not used within login.ticket-ttl opens nothing (here the limit is 1 s, instead of 30). */
@QuarkusTest
@TestProfile(ExpiredTicketTest.OneSecondTickets.class)
class ExpiredTicketTest {

    public static class OneSecondTickets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("login.ticket-ttl", "1s");
        }
    }

    @TestHTTPResource("/secure/sse")
    URL secureSse;

    @Test
    void anExpiredTicketIsRefused() {
        var issued = given().cookie(Login.COOKIE, Login.aliceCookie())
                .when().post("/stream-tickets")
                .then().statusCode(200).extract();
        String ticket = issued.path("ticket");
        Instant expiresAt = Instant.parse(issued.path("expiresAt"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expiresAt.plusMillis(100)));

        StreamTicketWireTest.assertRefused(URI.create(secureSse + "?ticket=" + ticket), "stream ticket expired: get a new one");
    }
}
