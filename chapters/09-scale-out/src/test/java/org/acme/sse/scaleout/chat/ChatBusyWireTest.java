package org.acme.sse.scaleout.chat;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.acme.sse.scaleout.RedisTestResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * chat.max-generating on the wire: an instance that already generates as many answers as it may refuses one more
 * with 503 and Retry-After, and takes it again once one of them is stopped. Two at most, and a token every 2 s, so
 * that no answer ends by itself while the test runs.
 */
@QuarkusTest
@TestProfile(ChatBusyWireTest.TwoAtATime.class)
@WithTestResource(RedisTestResource.class)
class ChatBusyWireTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> started = new ArrayList<>();

    @AfterEach
    void stopWhatWasStarted() {
        started.forEach(answerId -> given().when().post("/chat/" + answerId + "/stop").then().statusCode(200));
    }

    private String start(String prompt) {
        String answerId = given().contentType(ContentType.JSON).body("{\"prompt\":\"" + prompt + "\"}")
                .when().post("/chat")
                .then().statusCode(201)
                .extract().path("answerId");
        started.add(answerId);
        return answerId;
    }

    private static void answers503WithRetryAfter() {
        given().contentType(ContentType.JSON).body("{\"prompt\":\"one too many\"}")
                .when().post("/chat")
                .then().statusCode(503)
                .header("Retry-After", "1")
                .contentType("application/problem+json")
                .body("status", equalTo(503))
                .body("title", equalTo("Service Unavailable"))
                .body("detail", containsString("try again"));
    }

    private static int generating() {
        return given().when().get("/chat/activity").then().statusCode(200).extract().path("generating");
    }

    @Test
    void answers503WithRetryAfterAtMaxGeneratingAndAcceptsAgainOnceOneIsStopped() {
        await().atMost(WAIT).until(() -> generating() == 0); // a known quiet state
        String first = start("first");
        start("second");

        answers503WithRetryAfter();

        given().when().post("/chat/" + first + "/stop").then().statusCode(200).body("state", equalTo("stopped"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> generating() == 1);
        start("third");

        answers503WithRetryAfter(); // the freed place is taken again
    }

    /** At most two answers at once, each far longer than the test. */
    public static class TwoAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.max-generating", "2", "chat.generator.token-interval", "2s");
        }
    }
}
