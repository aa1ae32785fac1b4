package org.acme.sse.ssevsws;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** What GET /streams says, and waiting for it: the tests' view of the work the server is doing. */
final class ServerStreams {

    private ServerStreams() {
    }

    static int active() {
        return given().when().get("/streams").then().statusCode(200).extract().path("active");
    }

    /** Waits until {@code active} is {@code expected}; fails after {@code within}. */
    static void awaitActive(int expected, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> active() == expected);
    }
}
