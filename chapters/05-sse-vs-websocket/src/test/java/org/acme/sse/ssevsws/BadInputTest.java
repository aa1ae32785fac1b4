package org.acme.sse.ssevsws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Bad parameters, both ways. /sse can still answer with an HTTP status: 400 and a problem body. /ws has already
 * answered 101 when the endpoint runs, so it closes the socket with 1008 (policy violation) and a reason.
 */
@QuarkusTest
class BadInputTest {

    @TestHTTPResource("/sse")
    URI sse;

    @TestHTTPResource("/ws")
    URI ws;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "count=0", "count=1001", "count=ten", "intervalMs=9", "intervalMs=60001", "retryMs=99",
            "retryMs=soon" })
    void sseAnswers400WithAProblemBody(String query) {
        given().when().get(sse + "?" + query)
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("detail", containsString(query.substring(0, query.indexOf('='))));
    }

    @ParameterizedTest(name = "Last-Event-ID: {0}")
    @ValueSource(strings = { "abc", "-1", "+3", "8", "1.5", "99999999999" })
    void sseAnswers400ForALastEventIdThatIsNotAnIdOfTheStream(String lastEventId) {
        given().header("Last-Event-ID", lastEventId)
                .when().get(sse + "?count=8&intervalMs=10")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("Last-Event-ID"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "count=0                | count must be between 1 and 1000, was 0",
            "count=1001             | count must be between 1 and 1000, was 1001",
            "count=ten              | count must be a whole number between 1 and 1000",
            "intervalMs=9           | intervalMs must be between 10 and 60000, was 9",
            "intervalMs=60001       | intervalMs must be between 10 and 60000, was 60001",
            "from=-1                | from must be between 0 and 10, was -1",
            "count=5&from=6         | from must be between 0 and 5, was 6" })
    void webSocketClosesWith1008AndAReason(String query, String reason) {
        try (WsClient client = WsClient.connect(URI.create(ws + "?" + query))) {
            assertThat(client.awaitClose()).isEqualTo(new WsClient.Close(1008, reason));
            assertThat(client.poll(Duration.ZERO)).as("no tick before the close").isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "count=0", "from=11" })
    void onTheWireTheUpgradeSucceedsAndTheFirstFrameIsTheClose(String query) {
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?" + query))) {
            assertThat(socket.statusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
            RawWebSocket.Frame first = socket.readFrame(Duration.ofSeconds(10));
            assertThat(first.opcode()).isEqualTo(0x8);
            assertThat(first.closeCode()).isEqualTo(1008);
        }
    }
}
