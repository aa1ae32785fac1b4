package org.acme.sse.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The OpenAI chat-completion chunk, field by field. One {@link ChatChunks} per answer: every chunk of it carries
 * the same {@code id}, {@code created} and {@code model}, as the API's do.
 */
public final class ChatChunks {

    /** {@code {"id","object":"chat.completion.chunk","created","model","choices":[...],"usage"?}} */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chunk(String id, String object, long created, String model, List<Choice> choices, Usage usage) {
    }

    /** {@code finish_reason} is always written: {@code null} until the last content chunk. */
    public record Choice(int index, Delta delta,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason") String finishReason) {
    }

    /** The first delta carries the role, the next ones a piece of content each, the last one nothing. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens,
            @JsonProperty("total_tokens") int totalTokens) {
    }

    private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    private final long created = Instant.now().getEpochSecond();
    private final String model;

    public ChatChunks(String model) {
        this.model = model;
    }

    public Chunk role() {
        return choice(new Delta("assistant", ""), null);
    }

    public Chunk content(String token) {
        return choice(new Delta(null, token), null);
    }

    public Chunk finish(String reason) {
        return choice(new Delta(null, null), reason);
    }

    public Chunk usage(int promptTokens, int completionTokens) {
        return new Chunk(id, "chat.completion.chunk", created, model, List.of(),
                new Usage(promptTokens, completionTokens, promptTokens + completionTokens));
    }

    private Chunk choice(Delta delta, String finishReason) {
        return new Chunk(id, "chat.completion.chunk", created, model, List.of(new Choice(0, delta, finishReason)), null);
    }
}
