package org.acme.sse.fetchstreaming;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What quarkus.http.cors.methods does on the server: Quarkus's CORS filter answers 403 to a request whose method
 * is not in the list, a cross-origin GET included, before any browser rule is involved (GET and POST are
 * CORS-safelisted methods: a browser never asks for them in a preflight). Run with methods=POST only; one
 * test shows in Chromium what that does to the page's own module.
 */
@QuarkusTest
@TestProfile(CorsMethodListWireTest.PostOnly.class)
class CorsMethodListWireTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

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
    void chromiumLoadsThePageModuleWithAnOriginHeaderAndGets403On127001() {
        Page page = chromium.newPage();
        Response module = page.waitForResponse(response -> response.url().endsWith("/page.js"),
                () -> page.navigate("http://127.0.0.1:" + pageScript.getPort() + "/"));
        assertEquals("http://127.0.0.1:" + pageScript.getPort(), module.request().headerValue("origin"));
        assertEquals(403, module.status());
    }

    @Test
    void aGetWithoutOriginIsNotACorsRequest() {
        given().when().get(pageScript)
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
