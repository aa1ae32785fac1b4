package org.acme.sse.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A request to {@code POST /v1/chat/completions}, checked field by field: what an OpenAI client sends, and a
 * 400 in the API's shape, naming the field, for anything else. Fields this app has no use for (temperature,
 * top_p, ...) are accepted and ignored, as a client written for OpenAI may send them.
 */
public record ChatRequest(String model, List<Message> messages, boolean stream, boolean includeUsage,
        Integer maxTokens) {

    public record Message(String role, String content) {
    }

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    /** The last user message: what the question is. */
    public String question() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    static ChatRequest parse(ObjectMapper json, byte[] body, long maxPromptBytes) {
        JsonNode root;
        try {
            // Strict: one JSON document, nothing after it.
            root = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid(null, "the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid(null, "the body must be a JSON object");
        }
        JsonNode model = root.path("model");
        if (!model.isMissingNode() && !model.isNull() && !model.isTextual()) {
            throw ApiException.invalid("model", "model must be a string");
        }
        List<Message> messages = messages(root.path("messages"), maxPromptBytes);
        boolean stream = optionalBoolean(root, "stream");
        JsonNode options = root.path("stream_options");
        boolean includeUsage = false;
        if (!options.isMissingNode() && !options.isNull()) {
            if (!stream) {
                throw ApiException.invalid("stream_options", "stream_options is only allowed when stream is true");
            }
            if (!options.isObject()) {
                throw ApiException.invalid("stream_options", "stream_options must be an object");
            }
            includeUsage = optionalBoolean(options, "include_usage");
        }
        Integer maxTokens = maxTokens(root, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = maxTokens(root, "max_tokens"); // the older name, still what most clients send
        }
        return new ChatRequest(model.isTextual() ? model.asText() : null, messages, stream, includeUsage, maxTokens);
    }

    private static List<Message> messages(JsonNode node, long maxPromptBytes) {
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty array");
        }
        List<Message> messages = new ArrayList<>();
        long promptBytes = 0;
        for (int i = 0; i < node.size(); i++) {
            String param = "messages[" + i + "]";
            JsonNode message = node.get(i);
            if (!message.isObject()) {
                throw ApiException.invalid(param, param + " must be an object");
            }
            String role = message.path("role").asText(null);
            if (!message.path("role").isTextual() || !ROLES.contains(role)) {
                throw ApiException.invalid(param + ".role",
                        param + ".role must be one of system, developer, user, assistant");
            }
            String content = content(message.path("content"), param + ".content");
            promptBytes += content.getBytes(StandardCharsets.UTF_8).length;
            messages.add(new Message(role, content));
        }
        if (promptBytes > maxPromptBytes) {
            throw new ApiException(400, ApiException.INVALID_REQUEST, "messages", "context_length_exceeded",
                    "the messages are " + promptBytes + " bytes long; the limit is " + maxPromptBytes, null);
        }
        return messages;
    }

    /** A string, or the API's array of parts, of which this app takes the text ones. */
    private static String content(JsonNode content, String param) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.path("type").asText().equals("text") || !part.path("text").isTextual()) {
                    throw ApiException.invalid(param, param + " may only hold parts {\"type\":\"text\",\"text\":...}");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiException.invalid(param, param + " must be a string");
    }

    private static boolean optionalBoolean(JsonNode parent, String name) {
        JsonNode value = parent.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid(name, name + " must be true or false");
        }
        return value.asBoolean();
    }

    private static Integer maxTokens(JsonNode root, String name) {
        JsonNode value = root.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
            throw ApiException.invalid(name, name + " must be a whole number of at least 1");
        }
        return value.asInt();
    }
}
