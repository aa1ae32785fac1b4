package org.acme.sse.chat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.client.SseEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;

/**
 * The optional real model: an OpenAI-compatible API (OpenAI, Ollama's /v1, vLLM, LM Studio) behind this app.
 * Its chunks are re-streamed as they arrive, never buffered; its key is added here and never leaves the server.
 */
@ApplicationScoped
public class UpstreamChat {

    private static final String DONE = "[DONE]";

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "chat.upstream.base-url")
    Optional<URI> baseUrl;

    @ConfigProperty(name = "chat.upstream.api-key")
    Optional<String> apiKey;

    @ConfigProperty(name = "chat.upstream.model")
    Optional<String> model;

    @ConfigProperty(name = "chat.upstream.connect-timeout")
    Duration connectTimeout;

    @ConfigProperty(name = "chat.upstream.read-timeout")
    Duration readTimeout;

    private UpstreamClient client;

    @PostConstruct
    void createClient() {
        baseUrl.ifPresent(url -> client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(UpstreamClient.class));
    }

    public boolean configured() {
        return client != null;
    }

    /**
     * The upstream's chunks, each as the JSON object it sent. The Multi fails with an ApiException for an error
     * status (before any chunk), an {@code event: error} or an {@code {"error":...}} chunk, a chunk that is not
     * JSON, and a stream that ends without {@code [DONE]}: each is a failure the client must be told about.
     */
    public Multi<JsonNode> chunks(ChatRequest request) {
        AtomicBoolean done = new AtomicBoolean();
        return client.stream(apiKey.map(key -> "Bearer " + key).orElse(null), upstreamRequest(request))
                .select().first(event -> {
                    done.set(DONE.equals(String.valueOf(event.data()).strip()));
                    return !done.get();
                })
                .map(this::chunk)
                .onCompletion().switchTo(() -> done.get() ? Multi.createFrom().empty()
                        : Multi.createFrom().failure(upstreamError(502, "upstream_incomplete",
                                "the upstream ended its stream without [DONE]: the answer may be cut short")))
                // The connection failed: refused before the answer, or cut during it.
                .onFailure(failure -> !(failure instanceof ApiException)).transform(UpstreamChat::connectionFailed);
    }

    private ObjectNode upstreamRequest(ChatRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model.orElse(request.model()));
        request.messages().forEach(message -> body.withArray("messages").addObject()
                .put("role", message.role()).put("content", message.content()));
        body.put("stream", true);
        // Always asked for: a non-streaming answer reports usage, and it is dropped when the client did not ask.
        body.putObject("stream_options").put("include_usage", true);
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        return body;
    }

    private JsonNode chunk(SseEvent<String> event) {
        JsonNode chunk;
        try {
            chunk = json.readTree(event.data());
        } catch (IOException e) {
            chunk = null;
        }
        if ("error".equals(event.name()) || (chunk != null && chunk.has("error"))) {
            JsonNode error = chunk == null ? null : chunk.path("error");
            String message = error != null && error.path("message").isTextual() ? error.get("message").asText()
                    : event.data();
            throw upstreamError(502, "upstream_error", "the upstream failed during the answer: " + message);
        }
        if (chunk == null || !chunk.isObject() || !chunk.path("choices").isArray()) {
            throw upstreamError(502, "upstream_malformed_chunk", "the upstream sent a chunk that is not a "
                    + "chat.completion.chunk: " + abbreviate(event.data()));
        }
        return chunk;
    }

    /** An error status from the upstream, as the client of this app should see it. */
    static RuntimeException statusError(Response response) {
        int status = response.getStatus();
        String detail = abbreviate(upstreamMessage(response));
        if (status == 401 || status == 403) {
            // Not the browser's credentials: this server's key. For the client, a bad gateway.
            return upstreamError(502, "upstream_unauthorized",
                    "the upstream refused this server's API key (HTTP " + status + "): " + detail);
        }
        if (status == 429) {
            return new ApiException(429, ApiException.UPSTREAM, null, "rate_limit_exceeded",
                    "the upstream is rate-limiting this server: " + detail, retryAfter(response));
        }
        if (status >= 500) {
            return upstreamError(502, "upstream_unavailable", "the upstream failed (HTTP " + status + "): " + detail);
        }
        // 400, 404 (an unknown model), ...: about the request, so the client's to fix.
        return new ApiException(status, ApiException.INVALID_REQUEST, null, "upstream_rejected",
                "the upstream rejected the request (HTTP " + status + "): " + detail, null);
    }

    private static String upstreamMessage(Response response) {
        try {
            String body = response.readEntity(String.class);
            JsonNode error = new ObjectMapper().readTree(body).path("error");
            return error.path("message").isTextual() ? error.get("message").asText() : body;
        } catch (RuntimeException | IOException e) {
            return "no details";
        }
    }

    private static Long retryAfter(Response response) {
        String value = response.getHeaderString("Retry-After");
        // Seconds, as the API sends it; an HTTP date is rare here, and then the client picks its own delay.
        return value != null && value.strip().matches("[0-9]{1,6}") ? Long.valueOf(value.strip()) : null;
    }

    private static Throwable connectionFailed(Throwable failure) {
        return upstreamError(502, "upstream_connection_failed", "the connection to the upstream failed: " + failure);
    }

    private static ApiException upstreamError(int status, String code, String message) {
        return new ApiException(status, ApiException.UPSTREAM, null, code, message, null);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
