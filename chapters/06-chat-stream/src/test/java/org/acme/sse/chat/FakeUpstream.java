package org.acme.sse.chat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A second server, speaking the OpenAI streaming format on a free loopback port, that the app is configured to
 * proxy to. What it does is chosen by the question (the last user message): "ok", "hold", "endless", "401",
 * "429", "503", "malformed", "error-event", "cut", "no-done", "xss". It records what it saw.
 */
public class FakeUpstream implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "sk-test-key-never-for-the-browser";
    static final List<String> OK_TOKENS = List.of("Hello", " from", " the", " upstream", ".");

    static final List<String> authorizations = new CopyOnWriteArrayList<>();
    static final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    /** One per "endless" stream, completed when its connection closes: the proxy let go of it. */
    static final List<CompletableFuture<Void>> endlessStreams = new CopyOnWriteArrayList<>();
    static volatile CompletableFuture<Void> release = new CompletableFuture<>();

    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "localhost").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake upstream did not start", e);
        }
        return Map.of("chat.upstream.base-url", "http://localhost:" + server.actualPort() + "/v1",
                "chat.upstream.api-key", API_KEY);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            authorizations.add(String.valueOf(request.getHeader("Authorization")));
            JsonObject json = body.toJsonObject();
            requests.add(json);
            JsonArray messages = json.getJsonArray("messages");
            String scenario = messages.getJsonObject(messages.size() - 1).getString("content");
            HttpServerResponse response = request.response();
            if (!("Bearer " + API_KEY).equals(request.getHeader("Authorization")) || scenario.equals("401")) {
                error(response, 401, "Incorrect API key provided", "invalid_api_key");
                return;
            }
            switch (scenario) {
                case "429" -> {
                    response.putHeader("Retry-After", "7");
                    error(response, 429, "Rate limit reached for requests", "rate_limit_exceeded");
                }
                case "503" -> error(response, 503, "The engine is currently overloaded", null);
                default -> stream(request, response, scenario, json.getJsonObject("stream_options") != null);
            }
        });
    }

    private void stream(HttpServerRequest request, HttpServerResponse response, String scenario, boolean usage) {
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.write(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
        switch (scenario) {
            case "hold" -> {
                response.write(chunk(content("before the hold"), null));
                release.thenRun(() -> vertx.runOnContext(v -> finish(response, List.of(" and after"), usage)));
            }
            case "endless" -> {
                CompletableFuture<Void> closed = new CompletableFuture<>();
                endlessStreams.add(closed);
                long timer = vertx.setPeriodic(50, n -> response.write(chunk(content("tick "), null)));
                response.closeHandler(v -> {
                    vertx.cancelTimer(timer);
                    closed.complete(null);
                });
            }
            case "malformed" -> {
                response.write(chunk(content("half an answer"), null));
                response.write("data: {\"choices\": [{\"delta\": \n\n");
            }
            case "error-event" -> {
                response.write(chunk(content("half an answer"), null));
                response.end("event: error\ndata: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}\n\n");
            }
            case "cut" -> {
                response.write(chunk(content("half an answer"), null));
                vertx.setTimer(100, n -> request.connection().close());
            }
            case "no-done" -> {
                response.write(chunk(content("half an answer"), null));
                response.end();
            }
            case "xss" -> finish(response, List.of("<img src=x onerror=\"window.pwned=1\"> and ",
                    "<script>window.pwned=2</script>\n\n", "```html\n<b>not bold</b>\n", "```\n"), usage);
            default -> finish(response, OK_TOKENS, usage);
        }
    }

    private void finish(HttpServerResponse response, List<String> tokens, boolean usage) {
        tokens.forEach(token -> response.write(chunk(content(token), null)));
        response.write(chunk(new JsonObject(), "stop"));
        if (usage) {
            response.write("data: " + base().put("choices", new JsonArray())
                    .put("usage", new JsonObject().put("prompt_tokens", 3).put("completion_tokens", tokens.size())
                            .put("total_tokens", 3 + tokens.size()))
                    .encode() + "\n\n");
        }
        response.end("data: [DONE]\n\n");
    }

    private static void error(HttpServerResponse response, int status, String message, String code) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("message", message)
                        .put("type", "invalid_request_error").put("param", null).put("code", code)).encode());
    }

    private static JsonObject content(String text) {
        return new JsonObject().put("content", text);
    }

    private static JsonObject base() {
        return new JsonObject().put("id", "chatcmpl-upstream-1").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", "fake-model");
    }

    private static String chunk(JsonObject delta, String finishReason) {
        JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finishReason);
        return "data: " + base().put("choices", new JsonArray().add(choice)).encode() + "\n\n";
    }
}
