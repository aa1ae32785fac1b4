package org.acme.sse.scaleout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.mutiny.redis.client.Response;

/**
 * The shared feed: a Redis Stream that every instance appends to and reads. Each instance runs ONE reader (a
 * blocking XREAD loop on a connection of its own) and fans each new entry out to its local {@link FeedSubscriber}s;
 * a browser that connects or reconnects gets the entries after its Last-Event-ID from XRANGE, then the live ones.
 *
 * <p>
 * The fan-out is chapter 07's: each entry's SSE frame is made once, when the reader gets it, and the subscribers
 * are grouped by the event loop their connection lives on. A batch read from Redis crosses to each event loop once
 * -- not once per subscriber -- and is written there to every connection of that loop, on the loop's own thread.
 */
@ApplicationScoped
public class Feed {

    private static final Logger LOG = Logger.getLogger(Feed.class);
    private static final int PAGE = 500;

    @Inject
    RedisDataSource redis;

    @Inject
    Instance instance;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "feed.key")
    String key;

    // XADD ... MAXLEN ~ n: Redis keeps at least n entries, trimming whole nodes of its radix tree (cheap).
    @ConfigProperty(name = "feed.max-length")
    long maxLength;

    // Shorter than quarkus.redis.timeout, the client's limit for any reply.
    @ConfigProperty(name = "feed.read-block")
    Duration readBlock;

    /** Per event loop, its subscribers; each set is only read and written on its own event loop. */
    private final Map<Context, Set<FeedSubscriber>> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger subscriberCount = new AtomicInteger();
    private volatile boolean running = true;
    private volatile EntryId readerPosition; // null until the reader knows where the stream ends
    private Thread reader;

    void start(@Observes StartupEvent event) {
        try {
            readerPosition = window().lastGenerated(); // before the first browser can join
        } catch (RuntimeException e) {
            LOG.warnf("Redis is not reachable yet (%s): the feed waits for it", e.toString());
        }
        reader = new Thread(this::readLoop, "feed-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        reader.interrupt();
    }

    /** XADD: the returned id is the entry's place in the feed, once Redis has it. */
    public EntryId append(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("text", text);
        fields.put("via", instance.name());
        fields.put("at", Instant.now().toString());
        String id = redis.stream(String.class).xadd(key, new XAddArgs().maxlen(maxLength).nearlyExactTrimming(), fields);
        return EntryId.parse(id);
    }

    /** How many browsers this instance feeds right now. */
    public int localSubscribers() {
        return subscriberCount.get();
    }

    /** False until the reader has found out, once, where the stream ends: nobody can join before that. */
    public boolean ready() {
        return readerPosition != null;
    }

    /**
     * Joins the fan-out. Call on the subscriber's event loop, BEFORE reading its {@link #replay}: an entry added in
     * between then comes live AND in the replay, and the subscriber's cursor drops the second copy. The other
     * order would lose it.
     */
    public void join(FeedSubscriber subscriber) {
        subscribers.computeIfAbsent(currentLoop(), loop -> new LinkedHashSet<>()).add(subscriber);
        subscriberCount.incrementAndGet();
    }

    /** Leaves the fan-out; call on the subscriber's event loop (its close handler, or the feed's own delivery). */
    public void leave(FeedSubscriber subscriber) {
        Set<FeedSubscriber> ofLoop = subscribers.get(currentLoop());
        if (ofLoop != null && ofLoop.remove(subscriber)) {
            subscriberCount.decrementAndGet();
        }
    }

    /**
     * What a connection gets before the live entries: the entry its messages follow ({@code after}: the client's
     * id, or the end of the stream for a new client, or ZERO after a reset), maybe a reset, and the entries to
     * replay.
     */
    public record Replay(EntryId after, Optional<FeedEvent.Reset> reset, List<FeedEvent.Message> messages) {
    }

    /**
     * The replay for a connection: after {@code lastEventId} (exclusive), or from now on when it is null. Blocking
     * (XINFO, XRANGE): call on a worker thread, after {@link #join}.
     */
    public Replay replay(EntryId lastEventId) {
        Window window = window();
        if (lastEventId == null) {
            return new Replay(window.lastGenerated(), Optional.empty(), List.of());
        }
        Optional<FeedEvent.Reset> reset = window.resetFor(lastEventId, maxLength);
        // After a reset, everything the feed keeps follows: even, when Redis was replaced, ids below the client's.
        EntryId after = reset.isPresent() ? EntryId.ZERO : lastEventId;
        return new Replay(after, reset, range(after));
    }

    /** XRANGE key (after + in pages: every entry after {@code after}, oldest first. */
    private List<FeedEvent.Message> range(EntryId after) {
        StreamCommands<String, String, String> stream = redis.stream(String.class);
        List<FeedEvent.Message> messages = new ArrayList<>();
        EntryId from = after;
        while (true) {
            List<StreamMessage<String, String, String>> page = stream.xrange(key, StreamRange.of("(" + from, "+"), PAGE);
            page.forEach(entry -> messages.add(toMessage(entry)));
            if (page.size() < PAGE) {
                return messages;
            }
            from = messages.get(messages.size() - 1).id();
        }
    }

    /** The retained window, from XINFO STREAM (Redis 7: entries-added says whether anything was ever trimmed). */
    private Window window() {
        if (redis.key(String.class).exists(key)) {
            try {
                return Window.of(redis.execute("XINFO", "STREAM", key));
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).contains("no such key")) {
                    throw e;
                }
            }
        }
        return Window.EMPTY;
    }

    private void readLoop() {
        while (running) {
            try {
                if (readerPosition == null) {
                    readerPosition = window().lastGenerated();
                }
                // A connection of its own: XREAD BLOCK holds it while it waits.
                redis.withConnection(connection -> follow(connection.stream(String.class)));
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("reading the feed from Redis failed (%s); trying again in 1 s", e.toString());
                deliver(List.of());
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void follow(StreamCommands<String, String, String> stream) {
        XReadArgs block = new XReadArgs().block(readBlock).count(PAGE);
        while (running) {
            List<StreamMessage<String, String, String>> batch = stream.xread(key, readerPosition.toString(), block);
            if (batch == null || batch.isEmpty()) {
                deliver(List.of());
                continue;
            }
            List<FeedEvent.Message> messages = new ArrayList<>(batch.size());
            batch.forEach(entry -> messages.add(toMessage(entry)));
            readerPosition = messages.get(messages.size() - 1).id();
            deliver(messages);
        }
    }

    /**
     * Hands a batch (empty: Redis had nothing new, a chance for keep-alives) to each event loop once; there, to
     * each of its subscribers in turn. A subscriber that ended itself (too slow) leaves the fan-out here.
     */
    private void deliver(List<FeedEvent.Message> messages) {
        subscribers.forEach((loop, ofLoop) -> loop.runOnContext(v -> {
            long now = System.nanoTime();
            // A copy: a write can end a subscriber, and its leaving must not disturb this loop.
            for (FeedSubscriber subscriber : ofLoop.toArray(FeedSubscriber[]::new)) {
                subscriber.offer(messages, now);
                if (subscriber.ended()) {
                    leave(subscriber);
                }
            }
        }));
    }

    private FeedEvent.Message toMessage(StreamMessage<String, String, String> entry) {
        EntryId id = EntryId.parse(entry.id());
        Map<String, String> fields = entry.payload();
        FeedEvent.Shown shown = new FeedEvent.Shown(id.toString(), fields.get("text"), fields.get("via"), fields.get("at"));
        try {
            return new FeedEvent.Message(id, FeedEvent.frame(null, id, null, json.writeValueAsString(shown)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Context currentLoop() {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            throw new IllegalStateException("feed subscribers join and leave on their event loop");
        }
        // Quarkus gives each request a duplicated context; the event loop's own context is behind it.
        return context.unwrap();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What XINFO STREAM says about the retained entries. */
    record Window(long length, long entriesAdded, EntryId firstEntry, EntryId lastGenerated) {

        static final Window EMPTY = new Window(0, 0, null, EntryId.ZERO);

        static Window of(Response info) {
            Map<String, Response> fields = new LinkedHashMap<>();
            if (!info.getKeys().isEmpty()) { // RESP3: a map
                info.getKeys().forEach(name -> fields.put(name, info.get(name)));
            } else { // RESP2: name, value, name, value...
                for (int i = 0; i + 1 < info.size(); i += 2) {
                    fields.put(info.get(i).toString(), info.get(i + 1));
                }
            }
            Response first = fields.get("first-entry");
            return new Window(fields.get("length").toLong(), fields.get("entries-added").toLong(),
                    first == null || first.size() == 0 ? null : EntryId.parse(first.get(0).toString()),
                    EntryId.parse(fields.get("last-generated-id").toString()));
        }

        /**
         * A resume point the feed cannot serve from: an id it never issued, or one older than the first entry it
         * still keeps while entries were trimmed. (Redis does not record which ids trimming removed: when only the
         * client's own last entry was trimmed, this still says "trimmed", never the other way round.)
         */
        Optional<FeedEvent.Reset> resetFor(EntryId lastEventId, long maxLength) {
            if (lastEventId.isAfter(lastGenerated)) {
                return Optional.of(new FeedEvent.Reset("unknown", lastEventId, firstEntry,
                        "this feed never issued " + lastEventId + " (its newest entry is " + lastGenerated
                                + "): Redis was emptied or replaced; the retained entries follow"));
            }
            boolean trimmed = entriesAdded > length;
            if (trimmed && firstEntry != null && firstEntry.isAfter(lastEventId)) {
                return Optional.of(new FeedEvent.Reset("trimmed", lastEventId, firstEntry,
                        "the entries after " + lastEventId + " and before " + firstEntry + " were trimmed (the feed "
                                + "keeps about the last " + maxLength + "); the " + length + " it keeps follow"));
            }
            return Optional.empty();
        }
    }
}
