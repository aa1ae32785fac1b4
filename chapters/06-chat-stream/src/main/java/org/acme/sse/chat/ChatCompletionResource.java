package org.acme.sse.chat;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /v1/chat/completions}, in the OpenAI API's shape, so that a client written for that API can be
 * pointed at {@code http://localhost:8086/v1}. {@code "stream": true} answers with an event stream of
 * chunks, then {@code data: [DONE]}; {@code "stream": false} with one {@code chat.completion} document.
 */
@Path("/v1/chat/completions")
public class ChatCompletionResource {

    private static final Logger LOG = Logger.getLogger(ChatCompletionResource.class);
    private static final String DONE = "data: [DONE]\n\n";

    @Inject
    ObjectMapper json;

    @Inject
    GuideAnswers guideAnswers;

    @Inject
    UpstreamChat upstream;

    @Inject
    ActiveStreams activeStreams;

    @ConfigProperty(name = "chat.max-prompt-size")
    MemorySize maxPromptSize;

    /**
     * One method for both answers, because only the body says which one is wanted. RestMulti lets us choose the
     * Content-Type per request; the stream's frames are written here, byte for byte as the OpenAI API writes
     * them ({@code data: } with a space, one JSON per event).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<String> complete(byte[] body) {
        ChatRequest request = ChatRequest.parse(json, body, maxPromptSize.asLongValue());
        Multi<JsonNode> chunks = upstream.configured() ? upstream.chunks(request) : guideAnswers.chunks(request);
        chunks = activeStreams.track(upstream.configured() ? "upstream" : "embedded", chunks);
        if (!request.stream()) {
            return RestMulti.fromMultiData(Multi.createFrom().uni(completion(chunks)))
                    .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                    .build();
        }
        if (!request.includeUsage()) {
            chunks = chunks.select().where(chunk -> !chunk.path("choices").isEmpty());
        }
        return RestMulti.fromMultiData(eventStream(chunks))
                .header(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                // nginx buffers responses unless told otherwise: the answer would arrive all at once.
                .header("X-Accel-Buffering", "no")
                .build();
    }

    /**
     * {@code data: {chunk}} per chunk, then {@code data: [DONE]}. A failure before the first chunk is still an
     * HTTP error (Quarkus has not written the 200 yet, so the exception mapper answers). A failure after it can
     * only be said in the stream: one last {@code event: error}, then the end -- never a hung request, never a
     * truncated answer that looks finished.
     */
    private Multi<String> eventStream(Multi<JsonNode> chunks) {
        AtomicBoolean started = new AtomicBoolean();
        return chunks
                .map(chunk -> "data: " + chunk + "\n\n") // JSON escapes newlines: one event is one line
                .invoke(() -> started.set(true))
                .onCompletion().continueWith(DONE)
                .onFailure(failure -> started.get()).recoverWithItem(this::errorEvent);
    }

    private String errorEvent(Throwable failure) {
        LOG.warnf("answer failed after it started: %s", failure.toString());
        ApiException error = failure instanceof ApiException api ? api
                : new ApiException(500, ApiException.SERVER, null, null, "the answer failed: " + failure.getMessage(), null);
        return "event: error\ndata: " + toJson(error.body()) + "\n\n";
    }

    /** The non-streaming answer: the same chunks, gathered into one {@code chat.completion}. */
    private Uni<String> completion(Multi<JsonNode> chunks) {
        StringBuilder content = new StringBuilder();
        ObjectNode completion = json.createObjectNode();
        return chunks.invoke(chunk -> {
            if (!completion.has("id")) {
                completion.put("id", chunk.path("id").asText()).put("object", "chat.completion")
                        .put("created", chunk.path("created").asLong()).put("model", chunk.path("model").asText());
            }
            JsonNode choice = chunk.path("choices").path(0);
            content.append(choice.path("delta").path("content").asText(""));
            if (choice.path("finish_reason").isTextual()) {
                completion.put("finish_reason", choice.get("finish_reason").asText());
            }
            if (chunk.path("usage").isObject()) {
                completion.set("usage", chunk.get("usage"));
            }
        }).collect().last().map(last -> {
            ObjectNode choice = json.createObjectNode().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content.toString());
            choice.set("finish_reason", completion.remove("finish_reason"));
            choice.putNull("logprobs");
            completion.putArray("choices").add(choice);
            JsonNode usage = completion.remove("usage");
            completion.set("usage", usage);
            return completion.toString();
        });
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
