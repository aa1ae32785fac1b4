package org.acme.sse.chat;

import static io.restassured.RestAssured.given;
import static org.acme.sse.chat.Answers.active;
import static org.acme.sse.chat.Answers.awaitActive;
import static org.acme.sse.chat.Answers.cancelled;
import static org.acme.sse.chat.Answers.request;
import static org.acme.sse.chat.Answers.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The OpenAI chat-completions contract, on the wire, answered by the embedded generator. */
@QuarkusTest
class ChatCompletionWireTest {

    private static final String QUESTION = "How does the parser split lines?";

    @TestHTTPResource("/v1/chat/completions")
    URI completions;

    @Test
    void streamsChunksWithOneIdThenFinishReasonThenDone() {
        EventStream stream = stream(request(QUESTION, true));
        List<JsonObject> chunks = stream.chunks();

        assertThat(chunks).hasSizeGreaterThan(10);
        assertThat(chunks).extracting(c -> c.getString("id")).containsOnly(chunks.get(0).getString("id"))
                .allMatch(id -> id.startsWith("chatcmpl-"));
        assertThat(chunks).extracting(c -> c.getString("object")).containsOnly("chat.completion.chunk");
        assertThat(chunks).extracting(c -> c.getLong("created")).containsOnly(chunks.get(0).getLong("created"));
        assertThat(chunks).extracting(c -> c.getString("model")).containsOnly("tutorial-guides");
        JsonObject first = choice(chunks.get(0));
        assertThat(first.getInteger("index")).isZero();
        assertThat(first.getJsonObject("delta").getString("role")).isEqualTo("assistant");
        // finish_reason is present, as null, on every chunk but the last, which has no content.
        for (JsonObject chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(choice(chunk).containsKey("finish_reason")).isTrue();
            assertThat(choice(chunk).getValue("finish_reason")).isNull();
        }
        JsonObject last = choice(chunks.get(chunks.size() - 1));
        assertThat(last.getString("finish_reason")).isEqualTo("stop");
        assertThat(last.getJsonObject("delta").containsKey("content")).isFalse();
        assertThat(stream.last()).isEqualTo(new EventStream.Event("message", "[DONE]"));
        assertThat(stream.events()).noneMatch(e -> e.type().equals("error"));
    }

    @Test
    void includeUsageAddsAChunkWithEmptyChoicesBeforeDone() {
        JsonObject request = request(QUESTION, true).put("stream_options", new JsonObject().put("include_usage", true));
        EventStream stream = stream(request);
        List<JsonObject> chunks = stream.chunks();

        JsonObject usageChunk = chunks.get(chunks.size() - 1);
        assertThat(usageChunk.getJsonArray("choices")).isEmpty();
        JsonObject usage = usageChunk.getJsonObject("usage");
        long contentChunks = chunks.stream().filter(c -> !c.getJsonArray("choices").isEmpty())
                .filter(c -> choice(c).getJsonObject("delta").getString("content", "").length() > 0).count();
        assertThat(usage.getInteger("completion_tokens")).isEqualTo((int) contentChunks);
        assertThat(usage.getInteger("prompt_tokens")).isEqualTo(QUESTION.split(" ").length);
        assertThat(usage.getInteger("total_tokens"))
                .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
        assertThat(stream.last().data()).isEqualTo("[DONE]");
        // Without include_usage, no chunk has usage.
        assertThat(stream(request(QUESTION, true)).chunks()).noneMatch(c -> c.containsKey("usage"));
    }

    @Test
    void maxTokensEndsTheAnswerWithFinishReasonLength() {
        EventStream stream = stream(request(QUESTION, true).put("max_tokens", 5)
                .put("stream_options", new JsonObject().put("include_usage", true)));
        List<JsonObject> chunks = stream.chunks();

        assertThat(choice(chunks.get(chunks.size() - 2)).getString("finish_reason")).isEqualTo("length");
        assertThat(chunks.get(chunks.size() - 1).getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5);
        assertThat(stream.content().split(" ")).hasSize(5);
    }

    @Test
    void nonStreamingAnswerHasTheContentTheStreamWouldHave() {
        String streamed = stream(request(QUESTION, true)).content();

        JsonObject completion = new JsonObject(given().contentType("application/json").body(request(QUESTION, false).encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType("application/json")
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo("tutorial-guides"))
                .body("choices[0].index", equalTo(0))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("choices[0].logprobs", nullValue())
                .extract().asString());

        assertThat(completion.getString("id")).startsWith("chatcmpl-");
        assertThat(completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
                .isEqualTo(streamed);
        JsonObject usage = completion.getJsonObject("usage");
        assertThat(usage.getInteger("total_tokens")).isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
    }

    @Test
    void answersFromTheGuidesAndNamesTheGuideAtTheEnd() {
        String answer = stream(request(QUESTION, true)).content();

        assertThat(answer).startsWith("From **Chapter 03");
        assertThat(answer).contains("```js\n").contains("processLine(");
        assertThat(answer).endsWith("Source: `chapters/03-fetch-streaming/README.md`");
    }

    @Test
    void saysSoWhenNothingInTheGuidesMatches() {
        String answer = stream(request("What is the weather in Paris tomorrow?", true)).content();

        assertThat(answer).startsWith("I found nothing about that in this tutorial's guides");
        assertThat(answer).doesNotContain("Source:");
    }

    @Test
    void newlinesInTokensTravelEscapedInsideOneDataLine() {
        try (RawHttpStream raw = RawHttpStream.send("POST", completions,
                request(QUESTION, true).encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json")) {
            String body = raw.awaitEnd(Duration.ofSeconds(30));
            // Every event is exactly one "data: " line: the JSON encoding turns a token's newline into \n.
            for (String event : body.split("\n\n")) {
                assertThat(event).startsWith("data: ").doesNotContain("\n");
            }
            assertThat(body).contains("\\n");
            assertThat(EventStream.parse(body).content()).contains("\n");
        }
    }

    @Test
    void aClientThatLeavesStopsTheGeneration() {
        Answers.awaitNoAnswers(); // count from zero, whatever earlier tests left
        int before = 0;
        long cancelledBefore = cancelled();
        try (RawHttpStream raw = RawHttpStream.send("POST", completions,
                request(QUESTION, true).encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json")) {
            raw.awaitBodyContaining("\"content\":\"From \"", Duration.ofSeconds(10));
            assertThat(active()).isEqualTo(before + 1);
        }
        awaitActive(before, Duration.ofSeconds(2));
        assertThat(cancelled()).isEqualTo(cancelledBefore + 1);
    }

    static Stream<Arguments> badRequests() {
        JsonObject user = new JsonObject().put("role", "user").put("content", "hi");
        return Stream.of(
                Arguments.of("{\"messages\":[]}", "messages"),
                Arguments.of("{\"model\":\"m\"}", "messages"),
                Arguments.of("{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "messages[0].role"),
                Arguments.of("{\"messages\":[{\"role\":\"user\"}]}", "messages[0].content"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":null}]}", "messages[0].content"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":42}]}", "messages[0].content"),
                Arguments.of("{\"messages\":\"hi\"}", "messages"),
                Arguments.of("{\"messages\":[\"hi\"]}", "messages[0]"),
                Arguments.of(new JsonObject().put("messages", new JsonArray().add(user)).put("stream", "yes").encode(), "stream"),
                Arguments.of(new JsonObject().put("messages", new JsonArray().add(user)).put("max_tokens", 0).encode(), "max_tokens"),
                Arguments.of(new JsonObject().put("messages", new JsonArray().add(user)).put("model", 7).encode(), "model"),
                Arguments.of(new JsonObject().put("messages", new JsonArray().add(user))
                        .put("stream_options", new JsonObject().put("include_usage", true)).encode(), "stream_options"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]", null),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} {}", null),
                Arguments.of("[]", null),
                Arguments.of("", null));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void answers400InTheApiShape(String body, String param) {
        given().contentType("application/json").body(body)
                .when().post("/v1/chat/completions")
                .then().statusCode(400).contentType("application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param))
                .body("error.message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("error.code", nullValue());
    }

    @Test
    void answers400ForAPromptOver32KiB() {
        JsonObject request = request("a".repeat(20_000), true);
        request.getJsonArray("messages").add(new JsonObject().put("role", "assistant").put("content", "b".repeat(13_000)));
        given().contentType("application/json").body(request.encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.param", equalTo("messages"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "application/json", "text/event-stream" })
    void theBodyDecidesWhateverAcceptSays(String accept) {
        // The OpenAI SDKs send Accept: application/json for a stream too.
        given().contentType("application/json").accept(accept).body(request(QUESTION, true).put("max_tokens", 3).encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType("text/event-stream; charset=utf-8");
        given().contentType("application/json").accept(accept).body(request(QUESTION, false).put("max_tokens", 3).encode())
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType("application/json")
                .body("object", equalTo("chat.completion"));
    }

    @Test
    void answers415ForABodyThatIsNotJson() {
        given().contentType("text/plain").body("hello")
                .when().post("/v1/chat/completions")
                .then().statusCode(415).contentType("application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", equalTo("the body must be JSON, sent with Content-Type: application/json"));
    }

    @Test
    void answers413InTheApiShapeForADeclaredBodyOver1MiBBeforeReadingIt() {
        // Only the head is sent: the Content-Length alone is enough to refuse the body.
        try (RawHttpStream stream = RawHttpStream.send("POST", completions, null,
                "Content-Type", "application/json", "Content-Length", "2000000")) {
            assertThat(stream.status()).isEqualTo(413);
            assertThat(stream.header("Content-Type")).startsWith("application/json");
            JsonObject error = new JsonObject(stream.awaitEnd(Duration.ofSeconds(10))).getJsonObject("error");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            assertThat(error.getString("message")).contains("1048576 bytes");
        }
    }

    @Test
    void answers413InTheApiShapeForAChunkedBodyOver1MiB() {
        byte[] body = request("a".repeat(1024 * 1024), false).encode().getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = List.of(java.util.Arrays.copyOfRange(body, 0, 1_000_000),
                java.util.Arrays.copyOfRange(body, 1_000_000, body.length));
        try (RawHttpStream stream = RawHttpStream.sendChunked("POST", completions, pieces, "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(413);
            assertThat(new JsonObject(stream.awaitEnd(Duration.ofSeconds(10))).getJsonObject("error").getString("message"))
                    .contains("1048576 bytes");
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "/v1/chat/completions", "/v1/chat/completions/" })
    void answers400InTheApiShapeForAnEmptyChunkedBody(String path) {
        try (RawHttpStream stream = RawHttpStream.sendChunked("POST", completions.resolve(path), List.of(),
                "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(400);
            assertThat(stream.awaitEnd(Duration.ofSeconds(10))).contains("invalid_request_error");
        }
    }

    @Test
    void aPostWithNoBodyToAnotherPathGetsItsOwnStatus() {
        // No Content-Length and no Transfer-Encoding: an HTTP/1.1 request with no body at all.
        try (RawHttpStream stream = RawHttpStream.send("POST", completions.resolve("/streams"), null)) {
            assertThat(stream.status()).isEqualTo(405);
        }
        try (RawHttpStream stream = RawHttpStream.send("POST", completions, null, "Content-Type", "application/json")) {
            assertThat(stream.status()).isEqualTo(400);
            assertThat(stream.awaitEnd(Duration.ofSeconds(10))).contains("invalid_request_error");
        }
    }

    @Test
    void answersTheBodyLimitsErrorsOverHttp2Too() throws Exception {
        // HTTP/2 forbids a Connection header: an answer carrying one is a PROTOCOL_ERROR to the client.
        byte[] big = request("a".repeat(1024 * 1024), false).encode().getBytes(StandardCharsets.UTF_8);
        assertThat(postOverHttp2(completions, big)).startsWith("HTTP_2 413 ").contains("1048576 bytes");
        assertThat(postOverHttp2(completions, new byte[0])).startsWith("HTTP_2 400 ").contains("invalid_request_error");
    }

    private static JsonObject choice(JsonObject chunk) {
        return chunk.getJsonArray("choices").getJsonObject(0);
    }

    /**
     * One POST over HTTP/2 (cleartext, prior knowledge, as curl --http2-prior-knowledge): the status and body, or
     * the failure the client saw, such as a stream reset for a PROTOCOL_ERROR.
     */
    private static String postOverHttp2(URI uri, byte[] body) throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                    .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
            return client.request(io.vertx.core.http.HttpMethod.POST, uri.getPort(), uri.getHost(), uri.getRawPath())
                    // An empty body goes out as no body at all: no Content-Length, END_STREAM on the headers.
                    .compose(request -> body.length == 0 ? request.putHeader("Content-Type", "application/json").send()
                            : request.putHeader("Content-Type", "application/json").send(io.vertx.core.buffer.Buffer.buffer(body)))
                    .compose(response -> response.body().map(answer -> response.version() + " "
                            + response.statusCode() + " " + answer))
                    .otherwise(failure -> "failed: " + failure)
                    .toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

}
