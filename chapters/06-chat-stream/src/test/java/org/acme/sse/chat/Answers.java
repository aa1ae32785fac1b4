package org.acme.sse.chat;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Requests to the chat endpoint, and what GET /streams says about the answers being generated. */
final class Answers {

    private Answers() {
    }

    static JsonObject request(String question, boolean stream) {
        return new JsonObject().put("model", "tutorial-guides").put("stream", stream)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", question)));
    }

    /** The whole event stream of one streamed answer. */
    static EventStream stream(JsonObject request) {
        String body = given().contentType("application/json").body(request.encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType("text/event-stream; charset=utf-8")
                .extract().asString();
        return EventStream.parse(body);
    }

    static int active() {
        return given().when().get("/streams").then().statusCode(200).extract().path("active");
    }

    static long cancelled() {
        return ((Number) given().when().get("/streams").then().statusCode(200).extract().path("cancelled")).longValue();
    }

    /**
     * Waits until no answer is being generated, so that a test counts from zero: the app is shared by every test
     * of the module, and an earlier test's client may have left an instant ago. Generous, for a busy machine.
     */
    static void awaitNoAnswers() {
        await("no answer left from an earlier test").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> active() == 0);
    }

    static void awaitActive(int expected, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> active() == expected);
    }
}
