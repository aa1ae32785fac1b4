package org.acme.sse.scaleout.chat;

import java.util.Map;

import org.acme.sse.scaleout.EntryId;

/**
 * One entry of an answer's Redis Stream: {@code type} is {@code started} (with {@code instance}, {@code prompt}),
 * {@code chunk} (with {@code text}), or one of the two last ones, {@code done} and {@code stopped} (with {@code by},
 * {@code reason}).
 */
public record AnswerEntry(EntryId id, Map<String, String> fields) {

    public String type() {
        return fields.get("type");
    }

    /** Nothing comes after {@code done} or {@code stopped}: the Redis script refuses to append it. */
    public boolean isLast() {
        return "done".equals(type()) || "stopped".equals(type());
    }
}
