package org.acme.sse.scaleout.chat;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.sse.scaleout.RedisTestResource;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** One instance and a real Redis: start, follow, resume, stop, expiry and bad input of durable chat answers. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class ChatWireTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL root;

    @Inject
    RedisDataSource redis;

    private String start(String prompt) {
        return given().contentType(ContentType.JSON).body("{\"prompt\":\"" + prompt + "\"}")
                .when().post("/chat")
                .then().statusCode(201).header("Location", containsString("/stream"))
                .body("answerId", matchesPattern("[0-9a-f-]{36}"))
                .extract().path("answerId");
    }

    private URI stream(String answerId) {
        return URI.create(root + "chat/" + answerId + "/stream");
    }

    private AnswerEvents followToTheEnd(String answerId, String... headers) {
        try (RawHttpStream stream = RawHttpStream.get(stream(answerId), headers)) {
            return AnswerEvents.parse(stream.awaitEnd(WAIT));
        }
    }

    @Test
    void startAnswers201WithTheAnswerIdOnceItsStreamExists() {
        String answerId = start("hello");
        assertThat(redis.key(String.class).exists("chat:answer:" + answerId)).isTrue();
    }

    @Test
    void theStreamGivesEveryTokenOnceInOrderThenDoneAndEnds() {
        String answerId = start("every token");
        AnswerEvents events = followToTheEnd(answerId);
        assertThat(events.events().get(0).type()).isEqualTo("connected");
        assertThat(events.ofType("started")).hasSize(1);
        assertThat(events.text()).isEqualTo(OfflineAnswerGenerator.answer("every token"));
        assertThat(events.chunkIds()).hasSize(OfflineAnswerGenerator.tokens("every token").size()).doesNotHaveDuplicates();
        assertThat(events.lastType()).isEqualTo("done");
    }

    @Test
    void resumesAfterLastEventIdExclusiveThroughTheEnd() {
        String answerId = start("resume");
        AnswerEvents whole = followToTheEnd(answerId);
        List<String> ids = whole.chunkIds();
        AnswerEvents rest = followToTheEnd(answerId, "Last-Event-ID", ids.get(9));
        assertThat(rest.chunkIds()).containsExactlyElementsOf(ids.subList(10, ids.size()));
        assertThat(rest.ofType("started")).isEmpty();
        assertThat(rest.lastType()).isEqualTo("done");
        // a page that opens a new EventSource passes the id as ?after=; the header wins when both are there
        try (RawHttpStream byQuery = RawHttpStream.get(URI.create(stream(answerId) + "?after=" + ids.get(ids.size() - 2)))) {
            assertThat(AnswerEvents.parse(byQuery.awaitEnd(WAIT)).chunkIds()).containsExactly(ids.get(ids.size() - 1));
        }
    }

    @Test
    void afterTheLastEventItAnswers204SoThatEventSourceStopsReconnecting() {
        String answerId = start("no more");
        AnswerEvents whole = followToTheEnd(answerId);
        String doneId = whole.ofType("done").get(0).id();
        given().header("Last-Event-ID", doneId).when().get("/chat/" + answerId + "/stream").then().statusCode(204);
    }

    @Test
    void aFinishedAnswerExpiresAfterTheConfiguredTime() {
        String answerId = start("expire");
        followToTheEnd(answerId);
        long ttl = redis.key(String.class).ttl("chat:answer:" + answerId);
        assertThat(ttl).isBetween(1L, 600L); // chat.answer-ttl=10m
    }

    @Test
    void stopKeepsThePartialAnswerMarkedStopped() {
        await().atMost(WAIT).until(() -> generating() == 0); // no answer of another test still being written
        String answerId = start("stop me");
        try (RawHttpStream stream = RawHttpStream.get(stream(answerId))) {
            stream.awaitBody(body -> AnswerEvents.parse(body).chunkIds().size() >= 3, WAIT);
            given().when().post("/chat/" + answerId + "/stop")
                    .then().statusCode(200).body("state", equalTo("stopped"));
            AnswerEvents events = AnswerEvents.parse(stream.awaitEnd(WAIT));
            assertThat(events.lastType()).isEqualTo("stopped");
            assertThat(events.ofType("stopped").get(0).data()).contains("stop requested");
            List<String> tokens = OfflineAnswerGenerator.tokens("stop me");
            assertThat(events.chunkIds().size()).isBetween(3, tokens.size() - 1);
            assertThat(events.text()).isEqualTo(String.join("", tokens.subList(0, events.chunkIds().size())));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> generating() == 0);
        // stopping again, or from a second tab, says what it is
        given().when().post("/chat/" + answerId + "/stop").then().statusCode(200).body("state", equalTo("stopped"));
        // the partial answer stays and replays the same way
        AnswerEvents replay = followToTheEnd(answerId);
        assertThat(replay.lastType()).isEqualTo("stopped");
    }

    @Test
    void stopOnAFinishedAnswerLeavesItDone() {
        String answerId = start("finished");
        followToTheEnd(answerId);
        given().when().post("/chat/" + answerId + "/stop").then().statusCode(200).body("state", equalTo("done"));
    }

    @Test
    void aClientThatLeavesDoesNotStopTheAnswerButStopsFollowingIt() {
        await().atMost(WAIT).until(() -> following() == 0); // no connection left from another test
        String answerId = start("leave");
        try (RawHttpStream stream = RawHttpStream.get(stream(answerId))) {
            stream.awaitBodyContaining("event:chunk", WAIT);
            assertThat(following()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> following() == 0);
        AnswerEvents events = followToTheEnd(answerId);
        assertThat(events.lastType()).isEqualTo("done");
        assertThat(events.text()).isEqualTo(OfflineAnswerGenerator.answer("leave"));
    }

    @Test
    void answers404ForAnUnknownAnswer() {
        for (String unknown : List.of(UUID.randomUUID().toString(), "nope", "..%2F..")) {
            given().when().get("/chat/" + unknown + "/stream")
                    .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
            given().when().post("/chat/" + unknown + "/stop")
                    .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        }
    }

    @Test
    void answers400ForAMalformedLastEventIdOrOneOfAnotherAnswer() {
        String answerId = start("ids");
        for (String bad : List.of("abc", "12", "1-2-3", "-1-0", "18446744073709551616-0")) {
            given().header("Last-Event-ID", bad).when().get("/chat/" + answerId + "/stream")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("Last-Event-ID"));
        }
        given().queryParam("after", "x").when().get("/chat/" + answerId + "/stream")
                .then().statusCode(400).body("detail", containsString("after"));
        given().header("Last-Event-ID", "1-1").when().get("/chat/" + answerId + "/stream")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not an event of this answer"));
    }

    @Test
    void answers400ForABadBody413ForATooLargeOne415ForAnotherType() {
        for (String bad : List.of("", "not json", "[]", "{}", "{\"prompt\":3}", "{\"prompt\":\"  \"}", "{\"prompt\":\"a\"} x")) {
            given().contentType(ContentType.JSON).body(bad).when().post("/chat")
                    .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        }
        given().contentType(ContentType.JSON).body("{\"prompt\":\"" + "x".repeat(2001) + "\"}").when().post("/chat")
                .then().statusCode(400).body("detail", containsString("2000"));
        given().contentType(ContentType.JSON).body("{\"prompt\":\"" + "x".repeat(20_000) + "\"}").when().post("/chat")
                .then().statusCode(413).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("hello").when().post("/chat")
                .then().statusCode(415).contentType("application/problem+json");
    }

    private int following() {
        return given().when().get("/chat/activity").then().statusCode(200).extract().path("following");
    }

    private int generating() {
        return given().when().get("/chat/activity").then().statusCode(200).extract().path("generating");
    }
}
