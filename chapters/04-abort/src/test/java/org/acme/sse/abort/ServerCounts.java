package org.acme.sse.abort;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** What GET /streams says, and waiting for it: the tests' view of the server's work. */
final class ServerCounts {

    private ServerCounts() {
    }

    static int active() {
        return given().when().get("/streams").then().statusCode(200).extract().path("active");
    }

    static long counter(String name) {
        return ((Number) given().when().get("/streams").then().extract().path(name)).longValue();
    }

    /** Waits until {@code active} is {@code expected}; fails after {@code within}. Returns how long it took. */
    static Duration awaitActive(int expected, Duration within) {
        long start = System.nanoTime();
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> active() == expected);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
