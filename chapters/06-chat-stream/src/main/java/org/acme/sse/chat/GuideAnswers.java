package org.acme.sse.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The embedded answer generator: it works offline, with no key. It answers a question about this tutorial with
 * the section of its guides that matches best, names the guide at the end, and streams the answer token by
 * token at a model's rhythm. It does not invent: when no section matches, it says so.
 */
@Startup // a rate out of bounds stops the app at start, not the first answer
@ApplicationScoped
public class GuideAnswers {

    /** A token is a word with the spaces and newlines after it: "```java\n" is one, as with a real model. */
    private static final Pattern TOKEN = Pattern.compile("\\S+\\s*|\\s+");
    private static final int PASSAGE_CHARS = 1200;
    /**
     * A Vert.x timer's period is in whole milliseconds, and Vert.x refuses one under 1 ms: one token per
     * millisecond is the most the generator can do.
     */
    static final int MAX_TOKENS_PER_SECOND = 1000;
    /**
     * How many tokens may wait for a client that reads too slowly, as in chapter 04: Mutiny allocates a bounded
     * buffer's array in full when the answer starts, so this is memory per answer (512 slots, 2 KiB).
     */
    static final int MAX_WAITING_TOKENS = 512;

    @Inject
    GuideIndex guides;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "chat.tokens-per-second")
    int tokensPerSecond;

    @ConfigProperty(name = "chat.embedded-model")
    String model;

    private long tokenPeriodMs;

    @PostConstruct
    void checkRate() {
        tokenPeriodMs = tokenPeriod(tokensPerSecond).toMillis();
    }

    /** Whole milliseconds, as a Vert.x timer counts them: 1000 / 30 is 33 ms, about 30 tokens a second. */
    static Duration tokenPeriod(int tokensPerSecond) {
        if (tokensPerSecond < 1 || tokensPerSecond > MAX_TOKENS_PER_SECOND) {
            throw new IllegalArgumentException("chat.tokens-per-second must be between 1 and "
                    + MAX_TOKENS_PER_SECOND + " (one token per millisecond at most), not " + tokensPerSecond);
        }
        return Duration.ofMillis(1000 / tokensPerSecond);
    }

    /** The answer's chunks, in the OpenAI shape: role, content tokens, finish_reason, usage. */
    public Multi<JsonNode> chunks(ChatRequest request) {
        List<String> tokens = tokens(answer(request.question()));
        int limit = request.maxTokens() == null ? tokens.size() : Math.min(tokens.size(), request.maxTokens());
        String finishReason = limit < tokens.size() ? "length" : "stop";
        int promptTokens = request.messages().stream().mapToInt(m -> tokens(m.content()).size()).sum();

        ChatChunks chunks = new ChatChunks(model);
        Multi<ChatChunks.Chunk> content = Multi.createFrom().<ChatChunks.Chunk>emitter(
                emitter -> type(emitter, chunks, tokens.subList(0, limit)),
                // As in chapter 04: the timer does not wait for a slow reader (chapter 01), so the emitter fails
                // rather than drop a token, and the bounded buffer holds what the reader has not taken yet.
                BackPressureStrategy.ERROR)
                .onOverflow().buffer(Math.min(limit, MAX_WAITING_TOKENS));
        return Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(chunks.role()), content,
                        Multi.createFrom().items(chunks.finish(finishReason), chunks.usage(promptTokens, limit)))
                .map(chunk -> (JsonNode) json.valueToTree(chunk));
    }

    /**
     * Runs when the answer's content is subscribed to: the first token at once, then one per period from a Vert.x
     * timer, cancelled however the answer ends.
     */
    private void type(MultiEmitter<? super ChatChunks.Chunk> emitter, ChatChunks chunks, List<String> tokens) {
        // Chapter 04's rule: Quarkus REST subscribes in the request's Vert.x context, on the event loop that owns
        // the connection, and a Vert.x timer set here fires on that same thread. Anywhere else the timer would land
        // on an arbitrary event loop and every token would cross threads: fail loudly instead.
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            emitter.fail(new IllegalStateException("an answer must be generated on the connection's event loop"
                    + " (in its Vert.x context), not on " + Thread.currentThread().getName()));
            return;
        }
        int[] next = { 0 }; // touched on this answer's event loop only
        Runnable token = () -> {
            emitter.emit(chunks.content(tokens.get(next[0]++)));
            if (next[0] == tokens.size()) {
                emitter.complete();
            }
        };
        token.run();
        if (next[0] == tokens.size()) {
            return; // a one-token answer
        }
        long typing = vertx.setPeriodic(tokenPeriodMs, timer -> token.run());
        // All tokens sent, Stop pressed, the tab closed, or a failure: the timer leaves the event loop's queue at
        // once (chapter 04). Had the answer already ended, Mutiny runs this at once.
        emitter.onTermination(() -> vertx.cancelTimer(typing));
    }

    /** The whole answer, as Markdown. */
    String answer(String question) {
        List<GuideIndex.Passage> found = guides.search(question, 4);
        if (found.isEmpty()) {
            return "I found nothing about that in this tutorial's guides, and I only answer from them "
                    + "(there is no model behind me, just a search of the guides). Try asking about:\n\n"
                    + "- `EventSource` and `readyState`\n"
                    + "- resuming after `Last-Event-ID`\n"
                    + "- `fetch()` streaming and `TextDecoder`\n"
                    + "- aborting a stream\n"
                    + "- SSE vs WebSocket\n";
        }
        GuideIndex.Passage best = found.get(0);
        StringBuilder answer = new StringBuilder()
                .append("From **").append(best.guideTitle()).append("**, section **").append(best.heading())
                .append("**:\n\n")
                .append(excerpt(best.markdown()))
                .append("\n\n");
        List<GuideIndex.Passage> more = found.subList(1, found.size());
        if (!more.isEmpty()) {
            answer.append("See also:\n\n");
            for (GuideIndex.Passage passage : more) {
                answer.append("- **").append(passage.heading()).append("**");
                if (!passage.heading().equals(passage.guideTitle())) {
                    answer.append(" in ").append(passage.guideTitle());
                }
                answer.append('\n');
            }
            answer.append('\n');
        }
        return answer.append("Source: `").append(best.path()).append("`").toString();
    }

    /** The passage's first blocks up to about PASSAGE_CHARS, never cut inside a code block. */
    static String excerpt(String markdown) {
        StringBuilder excerpt = new StringBuilder();
        for (String block : blocks(markdown)) {
            if (excerpt.length() > 0 && excerpt.length() + block.length() > PASSAGE_CHARS) {
                excerpt.append("…");
                break;
            }
            excerpt.append(block).append("\n\n");
        }
        return excerpt.toString().strip();
    }

    /** Paragraphs, lists and whole code blocks: what a blank line separates, outside a code block. */
    private static List<String> blocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        boolean inCode = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode && line.isBlank()) {
                if (block.length() > 0) {
                    blocks.add(block.toString().stripTrailing());
                    block.setLength(0);
                }
                continue;
            }
            block.append(line).append('\n');
        }
        if (block.length() > 0) {
            blocks.add(block.toString().stripTrailing());
        }
        return blocks;
    }

    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher token = TOKEN.matcher(text);
        while (token.find()) {
            tokens.add(token.group());
        }
        return tokens;
    }
}
