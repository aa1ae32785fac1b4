package org.acme.sse.underload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /sse-direct: the frames written by hand, the same stream as GET /sse, counted and stopped the same way. */
@QuarkusTest
class DirectTickRouteTest {

    private static final Pattern EVENT = Pattern.compile(
            "id: (\\d+)\ndata: \\{\"id\":(\\d+),\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\"}\n\n");

    @TestHTTPResource("/sse-direct")
    URI sse;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void sendsCountEventsStampedToTheMillisecondThenDone() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?intervalMs=20&count=5"))) {
            String body = stream.awaitEnd(Duration.ofSeconds(10));
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(stream.header("Cache-Control")).isEqualTo("no-store");
            Matcher events = EVENT.matcher(body);
            for (int id = 0; id < 5; id++) {
                assertThat(events.find()).as("event %d in %s", id, body).isTrue();
                assertThat(events.group(1)).isEqualTo(Integer.toString(id));
                assertThat(events.group(2)).isEqualTo(Integer.toString(id));
            }
            assertThat(body).startsWith(": stream\n\n").endsWith("event: done\ndata: {\"lastId\":4}\n\n");
            assertThat(stream.ended()).isTrue();
        }
    }

    @Test
    void aStreamThatIsDoneIsNoLongerCountedThoughItsConnectionStaysOpen() throws Exception {
        // HTTP/1.1 keeps the connection open after the response's last chunk: the end, not the close, counts.
        try (Socket socket = new Socket(sse.getHost(), sse.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /sse-direct?intervalMs=20&count=3 HTTP/1.1\r\nHost: "
                    + sse.getHost() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            while (received.indexOf("\r\n0\r\n\r\n") < 0) { // the last chunk
                int b = in.read();
                assertThat(b).as("the connection closed before the last chunk: %s", received).isNotNegative();
                received.append((char) b);
            }
            assertThat(received).contains("event: done\n");
            ServerStreams.awaitOpen("sse", 0, ServerStreams.WITHIN_A_SECOND_OR_SO);
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void aClientThatLeavesStopsItsTimer() {
        RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?intervalMs=50&count=1000000"));
        stream.awaitBodyContaining("id: 1\n", Duration.ofSeconds(10));
        assertThat(ServerStreams.open("sse")).isEqualTo(1);
        stream.close();
        ServerStreams.awaitOpen("sse", 0, ServerStreams.WITHIN_A_SECOND_OR_SO);
    }

    @ParameterizedTest
    @CsvSource({ "count=0, count", "count=10000001, count", "count=ten, count",
            "intervalMs=9, intervalMs", "intervalMs=60001, intervalMs", "intervalMs=-5, intervalMs",
            "intervalMs=1e3, intervalMs" })
    void answers400WithAProblemBodyForAParameterOutOfRange(String query, String parameter) {
        given().when().get("/sse-direct?" + query)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("detail", containsString(parameter));
    }
}
