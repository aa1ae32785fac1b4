package org.acme.sse.production;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.acme.sse.testing.Nginx;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * nginx's real access log and error log, after a login, a stream by ticket, a refused reuse of the ticket and a fetch
 * stream with a bearer token, all through the shipped nginx.conf: no ticket and no token in clear. nginx's default
 * "combined" format would have logged the ticket.
 */
@QuarkusTest
class NginxAccessLogTest {

    static final String SHIPPED_ACCESS_LOG = "access_log access.log protocol;";
    static final String COMBINED_ACCESS_LOG = "access_log access.log combined;";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL quarkus;

    @Test
    void nginxLogsNeitherTheTicketNorTheBearerToken() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).start()) {
            String cookie = login(nginx);
            String token = through(nginx).cookie("quarkus-credential", cookie)
                    .when().post("/access-tokens").then().statusCode(200).extract().path("access_token");
            String ticket = through(nginx).header("Authorization", "Bearer " + token)
                    .when().post("/stream-tickets").then().statusCode(200).extract().path("ticket");

            // The stream runs to the end of its lifetime (reauth), so that nginx logs it as a complete request.
            try (RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/secure/sse?ticket=" + ticket),
                    "Accept", "text/event-stream")) {
                assertThat(stream.awaitEnd(TIMEOUT)).contains("event:tick").contains("event:reauth");
            }
            try (RawHttpStream reuse = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/secure/sse?ticket=" + ticket),
                    "Accept", "text/event-stream")) {
                assertThat(reuse.status()).isEqualTo(401);
            }
            try (RawHttpStream fetch = RawHttpStream.send("POST", nginx.uri(ChapterNginx.HTTP, "/secure/fetch-sse"),
                    "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
                    "Accept", "text/event-stream", "Authorization", "Bearer " + token)) {
                assertThat(fetch.awaitEnd(TIMEOUT)).contains("event:tick").contains("event:reauth");
            }

            String accessLog = await().atMost(TIMEOUT).until(() -> nginx.read("access.log"),
                    log -> log.contains("\"GET /secure/sse HTTP/1.1\" 200")
                            && log.contains("\"GET /secure/sse HTTP/1.1\" 401")
                            && log.contains("\"POST /secure/fetch-sse HTTP/1.1\" 200"));
            assertThat(accessLog).contains("\"POST /stream-tickets HTTP/1.1\" 200")
                    .doesNotContain(ticket).doesNotContain(token).doesNotContain("ticket=");
            String errorLog = nginx.output() + nginx.read("logs/error.log");
            assertThat(errorLog).doesNotContain(ticket).doesNotContain(token).doesNotContain("ticket=");
        }
    }

    @Test
    void nginxsDefaultCombinedFormatWouldLogTheTicket() {
        try (Nginx nginx = ChapterNginx.shipped(quarkus).replace(SHIPPED_ACCESS_LOG, COMBINED_ACCESS_LOG).start()) {
            String ticket = through(nginx).cookie("quarkus-credential", login(nginx))
                    .when().post("/stream-tickets").then().statusCode(200).extract().path("ticket");
            try (RawHttpStream stream = RawHttpStream.get(nginx.uri(ChapterNginx.HTTP, "/secure/sse?ticket=" + ticket),
                    "Accept", "text/event-stream")) {
                stream.awaitEnd(TIMEOUT);
                assertThat(stream.status()).isEqualTo(200);
            }
            // combined logs $request, the request line as the client sent it: query string and all.
            await().atMost(TIMEOUT).until(() -> nginx.read("access.log"),
                    log -> log.contains("\"GET /secure/sse?ticket=" + ticket + " HTTP/1.1\" 200"));
        }
    }

    private static RequestSpecification through(Nginx nginx) {
        return given().baseUri("http://127.0.0.1").port(nginx.port(ChapterNginx.HTTP));
    }

    /** Quarkus's form login, through nginx: the session cookie. */
    private static String login(Nginx nginx) {
        return through(nginx).formParams(Map.of("j_username", "alice", "j_password", "alice-demo-password"))
                .when().post("/j_security_check").then().statusCode(200).cookie("quarkus-credential")
                .extract().cookie("quarkus-credential");
    }
}
