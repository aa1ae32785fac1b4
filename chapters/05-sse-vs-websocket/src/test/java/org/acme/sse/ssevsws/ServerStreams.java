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

    /**
     * How soon the server must stop a stream after its client leaves: the guide's "within moments", with room
     * for a slow machine.
     */
    static final Duration WITHIN_A_SECOND_OR_SO = Duration.ofMillis(1500);

    /**
     * Waits until the server runs no stream, so that a test counts from zero: the app is shared by every test of
     * the module, and the previous test's clients (a closed page, a closed socket) may have left an instant ago
     * without the server having noticed yet. Generous, for a busy machine; the cleanup proofs use
     * {@link #WITHIN_A_SECOND_OR_SO}.
     */
    static void awaitNoStreams() {
        await("no stream left from an earlier test").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> active() == 0);
    }

    /** Waits until {@code active} is {@code expected}; fails after {@code within}. */
    static void awaitActive(int expected, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> active() == expected);
    }
}
