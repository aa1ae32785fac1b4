package org.acme.sse.production.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The server's real access log (written to target/access.log in tests) records every request to the secure
 * streams, and never a ticket or a bearer token.
 */
@QuarkusTest
class AccessLogTest {

    static final Path ACCESS_LOG = Path.of("target/access.log");

    @TestHTTPResource("/secure/sse")
    URL secureSse;

    @Test
    void theAccessLogHasNoTicketAndNoBearerToken() {
        long start = size(ACCESS_LOG);
        String cookie = Login.aliceCookie();
        String token = Login.bearerToken(cookie);
        String ticket = given().header("Authorization", "Bearer " + token).when().post("/stream-tickets")
                .then().statusCode(200).extract().path("ticket");
        try (RawHttpStream stream = RawHttpStream.get(URI.create(secureSse + "?ticket=" + ticket), "Accept", "text/event-stream")) {
            stream.awaitBodyContaining("event:tick", Duration.ofSeconds(15));
        }
        // The same ticket again: refused, and logged as a 401.
        try (RawHttpStream stream = RawHttpStream.get(URI.create(secureSse + "?ticket=" + ticket), "Accept", "text/event-stream")) {
            assertThat(stream.status()).isEqualTo(401);
        }

        // A line is written when its response ends; wait for both lines of the stream.
        String written = await().atMost(Duration.ofSeconds(20)).until(() -> since(ACCESS_LOG, start),
                log -> log.contains("\"GET /secure/sse HTTP/1.1\" 200") && log.contains("\"GET /secure/sse HTTP/1.1\" 401"));
        assertThat(written).contains("\"POST /stream-tickets HTTP/1.1\" 200");
        String wholeLog = since(ACCESS_LOG, 0);
        assertThat(wholeLog).doesNotContain(ticket).doesNotContain(token).doesNotContain("ticket=");
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String since(Path file, long offset) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
