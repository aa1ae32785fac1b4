package org.acme.sse.scaleout;

import java.util.Map;

/** What a subscriber of the feed receives, in this order: {@link Joined}, maybe {@link Reset}, then messages. */
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

    /** One entry of the Redis Stream: its id and fields ({@code text}, {@code via}, {@code at}). */
    record Message(EntryId id, Map<String, String> fields) implements FeedEvent {
    }

    /** Nothing to send for a while: a comment line keeps proxies from closing an idle connection. */
    record KeepAlive() implements FeedEvent {
    }
}
