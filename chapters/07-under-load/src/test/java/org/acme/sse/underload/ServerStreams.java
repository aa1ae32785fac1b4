package org.acme.sse.underload;

import static io.restassured.RestAssured.get;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** What GET /streams reports: the streams open right now, and feed events dropped for slow subscribers. */
final class ServerStreams {

    /** "Within about a second", with room for a busy 2-core machine. */
    static final Duration WITHIN_A_SECOND_OR_SO = Duration.ofMillis(1500);

    private ServerStreams() {
    }

    static int open(String kind) {
        return get("/streams").then().statusCode(200).extract().path(kind);
    }

    static long dropped() {
        return get("/streams").then().statusCode(200).extract().jsonPath().getLong("dropped");
    }

    static void awaitOpen(String kind, int count, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> open(kind) == count);
    }

    /** Tests share one app: wait until the previous test's clients have gone. */
    static void awaitNoStreams() {
        await().atMost(Duration.ofSeconds(30)).until(() -> open("sse") + open("broadcast") + open("ws") == 0);
    }
}
