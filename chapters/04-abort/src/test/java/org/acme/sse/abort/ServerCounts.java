package org.acme.sse.abort;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** What GET /streams says, and waiting for it: the tests' view of the server's work. */
final class ServerCounts {

    /**
     * How soon the server must stop a stream after its client leaves: the guide's "within about a second", with
     * half a second to spare for a slow machine.
     */
    static final Duration WITHIN_A_SECOND_OR_SO = Duration.ofMillis(1500);

    private static final Duration QUIET = Duration.ofSeconds(20);

    private ServerCounts() {
    }

    static int active() {
        return given().when().get("/streams").then().statusCode(200).extract().path("active");
    }

    static long counter(String name) {
        return ((Number) given().when().get("/streams").then().extract().path(name)).longValue();
    }

    /**
     * Waits until the server runs no stream, so that a test counts from zero. The app is shared by every test
     * of the module, and the clients of the previous test (a closed page, a closed socket) may have left an
     * instant ago without the server having noticed yet. Generous, because a busy machine is slow to close
     * things; the tests that prove how fast the server stops its work use their own, tight limit.
     */
    static void awaitNoStreams() {
        await("no stream left from an earlier test").atMost(QUIET).pollInterval(Duration.ofMillis(20))
                .until(() -> active() == 0);
    }

    /** Waits until {@code active} is {@code expected}; fails after {@code within}. Returns how long it took. */
    static Duration awaitActive(int expected, Duration within) {
        long start = System.nanoTime();
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> active() == expected);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
