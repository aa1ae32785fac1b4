package org.acme.sse.chat;

import static io.restassured.RestAssured.given;
import static org.acme.sse.chat.Answers.active;
import static org.acme.sse.chat.Answers.awaitActive;
import static org.acme.sse.chat.Answers.request;
import static org.acme.sse.chat.Answers.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The same endpoint in front of a real upstream: a second HTTP server speaking the OpenAI stream format. */
@QuarkusTest
@WithTestResource(FakeUpstream.class)
class UpstreamProxyTest {

    private static final Duration END = Duration.ofSeconds(20);

    @TestHTTPResource("/v1/chat/completions")
    URI completions;

    private RawHttpStream post(String question) {
        return RawHttpStream.send("POST", completions,
                request(question, true).encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    @Test
    void reStreamsTheUpstreamsChunks() {
        EventStream stream = stream(request("ok", true).put("stream_options", new JsonObject().put("include_usage", true)));

        assertThat(stream.content()).isEqualTo(String.join("", FakeUpstream.OK_TOKENS));
        assertThat(stream.chunks()).extracting(c -> c.getString("model")).containsOnly("fake-model");
        assertThat(stream.chunks().get(stream.chunks().size() - 1).getJsonObject("usage").getInteger("total_tokens")).isEqualTo(8);
        assertThat(stream.last().data()).isEqualTo("[DONE]");
        JsonObject upstreamRequest = FakeUpstream.requests.get(FakeUpstream.requests.size() - 1);
        assertThat(upstreamRequest.getBoolean("stream")).isTrue();
        assertThat(upstreamRequest.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("ok");
    }

    @Test
    void eachChunkIsPassedOnBeforeTheNextOneExists() {
        // The upstream sends one chunk and waits: the client must already have it. A buffering proxy would not.
        FakeUpstream.release = new CompletableFuture<>();
        try (RawHttpStream raw = post("hold")) {
            raw.awaitBodyContaining("before the hold", END);
            assertThat(raw.body()).doesNotContain("[DONE]");
            FakeUpstream.release.complete(null);
            assertThat(raw.awaitEnd(END)).contains(" and after").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void theKeyGoesUpstreamAndNeverToTheClient() {
        try (RawHttpStream raw = post("ok")) {
            String wire = new String(raw.wire(), StandardCharsets.UTF_8) + raw.awaitEnd(END) + raw.head();
            assertThat(wire).doesNotContain(FakeUpstream.API_KEY);
        }
        assertThat(FakeUpstream.authorizations).contains("Bearer " + FakeUpstream.API_KEY);
    }

    @Test
    void nonStreamingGathersTheUpstreamsChunks() {
        given().contentType("application/json").body(request("ok", false).encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo(String.join("", FakeUpstream.OK_TOKENS)))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.total_tokens", equalTo(8));
    }

    @Test
    void upstream401IsABadGatewayThatSaysWhy() {
        given().contentType("application/json").body(request("401", true).encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(502).contentType("application/json")
                .body("error.code", equalTo("upstream_unauthorized"))
                .body("error.message", containsString("Incorrect API key provided"));
    }

    @Test
    void upstream429KeepsItsRetryAfter() {
        given().contentType("application/json").body(request("429", true).encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(429).header("Retry-After", "7")
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.message", containsString("Rate limit reached"));
    }

    @Test
    void upstream5xxIsABadGateway() {
        given().contentType("application/json").body(request("503", true).encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(502)
                .body("error.code", equalTo("upstream_unavailable"))
                .body("error.message", containsString("HTTP 503"));
    }

    /**
     * After the 200, a failure of the upstream -- a chunk that is not JSON, its own error event, a cut
     * connection, an end without [DONE] -- ends our stream with one event: error, and nothing after it. Quarkus
     * once left such a stream hanging (quarkus#26253); the timeout here is what would catch that.
     */
    @ParameterizedTest
    @ValueSource(strings = { "malformed", "error-event", "cut", "no-done" })
    void aFailureAfterThe200EndsTheStreamWithAnErrorEvent(String scenario) {
        try (RawHttpStream raw = post(scenario)) {
            assertThat(raw.status()).isEqualTo(200);
            EventStream stream = EventStream.parse(raw.awaitEnd(END));

            assertThat(stream.content()).isEqualTo("half an answer");
            assertThat(stream.last().type()).isEqualTo("error");
            JsonObject error = stream.last().json().getJsonObject("error");
            assertThat(error.getString("type")).isEqualTo("upstream_error");
            assertThat(error.getString("message")).isNotBlank();
            assertThat(stream.events()).noneMatch(e -> e.data().equals("[DONE]"));
        }
    }

    @Test
    void aMidStreamErrorEventPassesOnTheUpstreamsMessage() {
        try (RawHttpStream raw = post("error-event")) {
            EventStream stream = EventStream.parse(raw.awaitEnd(END));
            assertThat(stream.last().json().getJsonObject("error").getString("message"))
                    .isEqualTo("the upstream failed during the answer: The server had an error while processing your request.");
        }
    }

    @Test
    void aClientThatLeavesClosesTheUpstreamConnection() {
        Answers.awaitNoAnswers(); // count from zero, whatever earlier tests left
        int before = 0;
        int streamsBefore = FakeUpstream.endlessStreams.size();
        try (RawHttpStream raw = post("endless")) {
            raw.awaitBody(body -> body.split("\"tick \"", -1).length > 3, END); // a few chunks in
            assertThat(FakeUpstream.endlessStreams).hasSize(streamsBefore + 1);
            assertThat(FakeUpstream.endlessStreams.get(streamsBefore)).isNotDone();
        }
        CompletableFuture<Void> upstreamConnection = FakeUpstream.endlessStreams.get(streamsBefore);
        await().atMost(Duration.ofSeconds(2)).until(upstreamConnection::isDone);
        awaitActive(before, Duration.ofSeconds(2));
    }
}
