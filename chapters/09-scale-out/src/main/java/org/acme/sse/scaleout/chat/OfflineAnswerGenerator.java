package org.acme.sse.scaleout.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a language model, so that this chapter runs offline and its tests know what to expect: the same
 * prompt always gives the same Markdown answer, cut into word-sized tokens (each with the white space before it).
 * The pace (one token per {@code chat.generator.token-interval}) is set by {@link ChatAnswers}; a real model would
 * plug in where {@link #tokens(String)} is called.
 */
public final class OfflineAnswerGenerator {

    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+");
    private static final int PROMPT_SHOWN = 80;

    private OfflineAnswerGenerator() {
    }

    /** The whole answer to {@code prompt}, token by token: joined, they give {@link #answer(String)}. */
    public static List<String> tokens(String prompt) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(answer(prompt));
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    /** The answer as Markdown. */
    public static String answer(String prompt) {
        String shown = prompt.strip().replaceAll("\\s+", " ");
        if (shown.codePointCount(0, shown.length()) > PROMPT_SHOWN) {
            shown = shown.substring(0, shown.offsetByCodePoints(0, PROMPT_SHOWN)) + "…";
        }
        return """
                ## A durable answer

                You asked: *%s*

                This answer comes from an **offline generator**: it writes the same words for the same question, \
                one token at a time, so that you can watch what happens to an answer while it is being written.

                1. Each token is appended to a Redis Stream that belongs to this answer alone.
                2. Any instance can replay that stream from the id your browser saw last, then follow it live.
                3. Reload the page, or let the balancer send you to the other instance: the answer goes on where \
                it was, with no token lost and none twice.
                4. Press **Stop** on any instance: the instance that writes the answer hears it over Redis and \
                stops, and what was written so far stays, marked as stopped.

                When the answer is finished, its stream expires after a while, like any cache entry.""".formatted(shown);
    }
}
