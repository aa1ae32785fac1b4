package org.acme.sse.scaleout;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * What a subscriber of the feed receives, in this order: {@link Joined}, maybe {@link Reset}, then messages. Each
 * is written as its SSE frame: the feed makes a message's frame once, when it reads the entry, for every
 * subscriber of the instance.
 */
public sealed interface FeedEvent {

    /** The first event of every connection: which instance serves it, and after which entry it starts. */
    record Joined(String instance, EntryId after) implements FeedEvent {
    }

    /**
     * The client asked to resume after an entry the feed cannot replay from: {@code reason} is {@code trimmed} (the
     * entries after it left the retained window) or {@code unknown} (the feed never issued that id: Redis was
     * emptied or replaced). The messages that follow start at {@code firstKept}.
     */
    record Reset(String reason, EntryId lastEventId, EntryId firstKept, String detail) implements FeedEvent {
    }

    /** One entry of the Redis Stream, and its SSE frame ({@code id:} the entry id, {@code data:} {@link Shown}). */
    record Message(EntryId id, Buffer frame) implements FeedEvent {
    }

    /** One message as the browser gets it, in the data of its frame. */
    record Shown(String id, String text, String via, String at) {
    }

    /** An SSE frame; {@code json} is one line (JSON escapes line ends), so one data line is enough. */
    static Buffer frame(String event, EntryId id, Long retryMs, String json) {
        StringBuilder frame = new StringBuilder(json.length() + 64);
        if (event != null) {
            frame.append("event: ").append(event).append('\n');
        }
        if (id != null) {
            frame.append("id: ").append(id).append('\n');
        }
        if (retryMs != null) {
            frame.append("retry: ").append(retryMs).append('\n');
        }
        frame.append("data: ").append(json).append("\n\n");
        return Buffer.buffer(frame.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A comment line: nothing for the page, but bytes on the wire, so that proxies keep an idle stream open. */
    Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");
}
