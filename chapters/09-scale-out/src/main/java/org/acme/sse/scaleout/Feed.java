package org.acme.sse.scaleout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Response;

/**
 * The shared feed: a Redis Stream that every instance appends to and reads. Each instance runs ONE reader (a
 * blocking XREAD loop on a connection of its own) and fans each new entry out to its local {@link Follower}s; a
 * browser that connects or reconnects gets the entries after its Last-Event-ID from XRANGE, then the live ones.
 */
@ApplicationScoped
public class Feed {

    private static final Logger LOG = Logger.getLogger(Feed.class);
    private static final int PAGE = 500;

    @Inject
    RedisDataSource redis;

    @Inject
    Instance instance;

    @ConfigProperty(name = "feed.key")
    String key;

    // XADD ... MAXLEN ~ n: Redis keeps at least n entries, trimming whole nodes of its radix tree (cheap).
    @ConfigProperty(name = "feed.max-length")
    long maxLength;

    @ConfigProperty(name = "feed.subscriber-buffer")
    int subscriberBuffer;

    @ConfigProperty(name = "feed.keep-alive")
    Duration keepAlive;

    // Shorter than quarkus.redis.timeout, the client's limit for any reply.
    @ConfigProperty(name = "feed.read-block")
    Duration readBlock;

    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
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
        return followers.size();
    }

    /**
     * The feed for one connection: after {@code lastEventId} (exclusive), or from now on when it is null. The work
     * (XINFO, XRANGE) runs when the stream is subscribed, on a worker thread; the follower leaves the fan-out as
     * soon as the stream ends in any way (completion, cancellation by a closed connection, failure).
     */
    public Multi<FeedEvent> follow(EntryId lastEventId) {
        Follower follower = new Follower(subscriberBuffer, keepAlive);
        return Multi.createFrom().deferred(() -> start(follower, lastEventId))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onTermination().invoke(() -> followers.remove(follower));
    }

    private Multi<FeedEvent> start(Follower follower, EntryId lastEventId) {
        if (readerPosition == null) {
            throw new IllegalStateException("the feed has not reached Redis yet");
        }
        // First join the fan-out, then read the window: an entry added in between comes live AND in the replay,
        // and the follower's cursor drops the second copy. The other order would lose it.
        followers.add(follower);
        Window window = window();
        List<FeedEvent> head = new ArrayList<>();
        EntryId after;
        if (lastEventId == null) {
            after = window.lastGenerated();
            head.add(new FeedEvent.Joined(instance.name(), after));
        } else {
            head.add(new FeedEvent.Joined(instance.name(), lastEventId));
            Optional<FeedEvent.Reset> reset = window.resetFor(lastEventId, maxLength);
            reset.ifPresent(head::add);
            after = reset.isPresent() ? EntryId.ZERO : lastEventId;
        }
        List<FeedEvent.Message> replay = range(after);
        follower.skipThrough(replay.isEmpty() ? after : replay.get(replay.size() - 1).id());
        head.addAll(replay);
        return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(head), follower.live());
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
                followers.forEach(Follower::idle);
                pause(Duration.ofSeconds(1));
            }
        }
    }

    private void follow(StreamCommands<String, String, String> stream) {
        XReadArgs block = new XReadArgs().block(readBlock).count(PAGE);
        while (running) {
            List<StreamMessage<String, String, String>> batch = stream.xread(key, readerPosition.toString(), block);
            if (batch == null || batch.isEmpty()) {
                followers.forEach(Follower::idle);
                continue;
            }
            for (StreamMessage<String, String, String> entry : batch) {
                FeedEvent.Message message = toMessage(entry);
                readerPosition = message.id();
                followers.forEach(follower -> follower.offer(message));
            }
        }
    }

    private static FeedEvent.Message toMessage(StreamMessage<String, String, String> entry) {
        return new FeedEvent.Message(EntryId.parse(entry.id()), Map.copyOf(entry.payload()));
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
