package org.acme.sse.fetchstreaming;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What quarkus.http.cors.methods does on the server: Quarkus's CORS filter answers 403 to a request whose method
 * is not in the list, a cross-origin GET included, before any browser rule is involved (GET and POST are
 * CORS-safelisted methods: a browser never asks for them in a preflight). Run with methods=POST only.
 */
@QuarkusTest
@TestProfile(CorsMethodListWireTest.PostOnly.class)
class CorsMethodListWireTest {

    public static class PostOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.methods", "POST");
        }
    }

    @TestHTTPResource("/page.js")
    URI pageScript;

    @Test
    void quarkusRefusesACrossOriginGetThatIsNotInTheMethodList() {
        given().header("Origin", "http://127.0.0.1:5173")
                .when().get(pageScript)
                .then().statusCode(403)
                .statusLine(containsString("CORS Rejected - Invalid method"));
    }

    @Test
    void aSameOriginGetOnLocalhostIsNotChecked() {
        // Chromium loads the page's modules in CORS mode, with an Origin header. From the page's own origin
        // on localhost, Quarkus lets them through whatever the list says...
        given().header("Origin", "http://localhost:" + pageScript.getPort())
                .when().get("http://localhost:" + pageScript.getPort() + "/page.js")
                .then().statusCode(200);
    }

    @Test
    void aSameOriginGetOn127001IsCheckedLikeACrossOriginOne() {
        // ...but the same page opened at http://127.0.0.1:<port>/ has its modules refused: a dead page.
        given().header("Origin", "http://127.0.0.1:" + pageScript.getPort())
                .when().get("http://127.0.0.1:" + pageScript.getPort() + "/page.js")
                .then().statusCode(403)
                .statusLine(containsString("CORS Rejected - Invalid method"));
    }

    @Test
    void aGetWithoutOriginIsNotACorsRequest() {
        given().when().get(pageScript)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
