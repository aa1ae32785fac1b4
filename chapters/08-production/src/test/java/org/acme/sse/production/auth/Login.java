package org.acme.sse.production.auth;

import static io.restassured.RestAssured.given;

import java.util.Map;

/** Logging in over the wire, as the page does: Quarkus's form login, then a ticket or a bearer token. */
final class Login {

    static final String COOKIE = "quarkus-credential";
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-demo-password";

    private Login() {
    }

    /** The session cookie's value for a user. */
    static String sessionCookie(String user, String password) {
        return given().formParams(Map.of("j_username", user, "j_password", password))
                .when().post("/j_security_check")
                .then().statusCode(200).cookie(COOKIE)
                .extract().cookie(COOKIE);
    }

    static String aliceCookie() {
        return sessionCookie(ALICE, ALICE_PASSWORD);
    }

    static String ticket(String cookie) {
        return given().cookie(COOKIE, cookie)
                .when().post("/stream-tickets")
                .then().statusCode(200)
                .extract().path("ticket");
    }

    static String bearerToken(String cookie) {
        return given().cookie(COOKIE, cookie)
                .when().post("/access-tokens")
                .then().statusCode(200)
                .extract().path("access_token");
    }
}
