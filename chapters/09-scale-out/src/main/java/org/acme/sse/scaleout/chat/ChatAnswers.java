package org.acme.sse.scaleout.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.acme.sse.scaleout.EntryId;
import org.acme.sse.scaleout.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Response;

/**
 * Durable chat answers. Each answer is a Redis Stream of its own, {@code chat:answer:<id>}: the instance that got
 * {@code POST /chat} generates it and appends one entry per token; any instance replays and follows it. Two Redis
 * pub/sub channels tie the instances together: {@code chat:appended} (an entry was added to answer X: its local
 * followers read it) and {@code chat:stop} (answer X was stopped: the instance generating it stops now).
 *
 * <p>Every append goes through one Lua script, which Redis runs atomically: it refuses to add anything after a
 * {@code done} or {@code stopped} entry, sets the answer's expiry and publishes the notification in the same step.
 * So a Stop is decided in Redis, by whichever instance gets it: a token the generator writes a moment later is
 * refused, even if the pub/sub message were lost.
 */
@ApplicationScoped
public class ChatAnswers {

    private static final Logger LOG = Logger.getLogger(ChatAnswers.class);
    static final String APPENDED = "chat:appended";
    static final String STOP = "chat:stop";
    private static final Pattern ANSWER_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int PAGE = 200;

    // KEYS[1]: the answer's stream. ARGV[1]: seconds to keep it, ARGV[2]: channel, ARGV[3]: answer id,
    // ARGV[4..]: field, value, ... starting with "type", <type>. Answers the new entry id, "missing" or "finished".
    private static final String APPEND = """
            local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            if #last == 0 and ARGV[5] ~= 'started' then return 'missing' end
            if #last > 0 then
              local fields = last[1][2]
              for i = 1, #fields, 2 do
                if fields[i] == 'type' and (fields[i + 1] == 'done' or fields[i + 1] == 'stopped') then
                  return 'finished'
                end
              end
            end
            local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 4))
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], ARGV[3])
            return id""";

    @Inject
    RedisDataSource redis;

    @Inject
    Instance instance;

    // How long an answer's stream is kept after its last entry: a finished answer expires this long after it ended.
    @ConfigProperty(name = "chat.answer-ttl")
    Duration answerTtl;

    @ConfigProperty(name = "chat.generator.token-interval")
    Duration tokenInterval;

    @ConfigProperty(name = "chat.max-generating")
    int maxGenerating;

    @ConfigProperty(name = "chat.keep-alive")
    Duration keepAlive;

    private volatile boolean running = true;
    private final Map<String, Generation> generating = new ConcurrentHashMap<>();
    private final Map<String, Set<AnswerFollower>> following = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, task -> {
        Thread thread = new Thread(task, "chat-answers");
        thread.setDaemon(true);
        return thread;
    });

    void start(@Observes StartupEvent event) {
        listen(STOP, this::stopHeard);
        listen(APPENDED, this::appendedHeard);
        // A safety net under pub/sub (fire-and-forget: a message sent while the connection is down is gone):
        // every follower reads its answer once a second anyway, and sends a comment after a long silence.
        scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        // An instance that goes away leaves no answer hanging: it marks its own as stopped.
        generating.values().forEach(generation -> generation.end("stopped", "the instance shut down"));
        scheduler.shutdownNow();
    }

    public static boolean isAnswerId(String text) {
        return text != null && ANSWER_ID.matcher(text).matches();
    }

    static String key(String answerId) {
        return "chat:answer:" + answerId;
    }

    /** Starts an answer on this instance: its stream exists (with a {@code started} entry) when this returns. */
    public String start(String prompt) {
        if (generating.size() >= maxGenerating) {
            throw new TooBusy();
        }
        String answerId = UUID.randomUUID().toString();
        append(answerId, "type", "started", "instance", instance.name(), "prompt", prompt);
        Generation generation = new Generation(answerId, OfflineAnswerGenerator.tokens(prompt));
        generating.put(answerId, generation);
        generation.future = scheduler.scheduleWithFixedDelay(generation, tokenInterval.toMillis(),
                tokenInterval.toMillis(), TimeUnit.MILLISECONDS);
        return answerId;
    }

    /**
     * Stops an answer, wherever it is generated: the {@code stopped} entry is written here (refused if the answer
     * already ended), then the instance generating it hears {@code chat:stop}. Answers the answer's last type.
     */
    public String stop(String answerId) {
        String result = append(answerId, "type", "stopped", "by", instance.name(), "reason", "stop requested");
        if ("missing".equals(result)) {
            throw new UnknownAnswer(answerId);
        }
        if ("finished".equals(result)) {
            return last(answerId).map(AnswerEntry::type).orElseThrow(() -> new UnknownAnswer(answerId));
        }
        redis.pubsub(String.class).publish(STOP, answerId);
        return "stopped";
    }

    /** The answer's last entry, if it exists. */
    public Optional<AnswerEntry> last(String answerId) {
        // XREVRANGE key + - COUNT 1: the range is written as given, end first.
        List<StreamMessage<String, String, String>> last = redis.stream(String.class).xrevrange(key(answerId),
                StreamRange.of("+", "-"), 1);
        return last.isEmpty() ? Optional.empty() : Optional.of(toEntry(last.get(0)));
    }

    /** Whether {@code id} is an entry of this answer (a Last-Event-ID from another answer is not). */
    public boolean hasEntry(String answerId, EntryId id) {
        return !redis.stream(String.class).xrange(key(answerId), StreamRange.of(id.toString(), id.toString()), 1).isEmpty();
    }

    /**
     * The answer's entries after {@code after} (exclusive), then each new one as it is appended, until its last
     * entry ({@code done} or {@code stopped}); a comment now and then while nothing comes. A follower that leaves
     * (its connection closed) only stops reading: the answer goes on.
     */
    public Multi<Object> follow(String answerId, EntryId after) {
        AnswerFollower follower = new AnswerFollower(this, answerId, after, keepAlive);
        return Multi.createFrom().emitter(emitter -> {
            following.computeIfAbsent(answerId, id -> ConcurrentHashMap.newKeySet()).add(follower);
            follower.attach(emitter);
        }).onTermination().invoke(() -> leave(follower));
    }

    /** What this instance does right now, for the page and for tests: answers generated and followed here. */
    public Map<String, Object> activity() {
        return Map.of("instance", instance.name(), "generating", generating.size(),
                "following", following.values().stream().mapToInt(Set::size).sum());
    }

    /** XRANGE key (after + COUNT n: the next entries of an answer, oldest first. */
    List<AnswerEntry> read(String answerId, EntryId after) {
        List<AnswerEntry> entries = new ArrayList<>();
        redis.stream(String.class).xrange(key(answerId), StreamRange.of("(" + after, "+"), PAGE)
                .forEach(message -> entries.add(toEntry(message)));
        return entries;
    }

    boolean exists(String answerId) {
        return redis.key(String.class).exists(key(answerId));
    }

    private void leave(AnswerFollower follower) {
        following.computeIfPresent(follower.answerId(), (id, followers) -> {
            followers.remove(follower);
            return followers.isEmpty() ? null : followers;
        });
    }

    /**
     * SUBSCRIBE, on a connection of its own, and again whenever that connection ends: the Redis client does not
     * subscribe again by itself, so after a Redis restart this instance would never hear chat:stop again. A message
     * published while no subscription stands is lost; the append script and the once-a-second tick cover for it.
     */
    private void listen(String channel, Consumer<String> handler) {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable subscribeAgain = () -> {
            if (running && ended.compareAndSet(false, true)) {
                LOG.warnf("the subscription to %s ended; subscribing again", channel);
                listen(channel, handler);
            }
        };
        redis.getReactive().pubsub(String.class)
                .subscribe(channel, handler, subscribeAgain, failure -> subscribeAgain.run())
                .onFailure(failure -> running).retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .indefinitely()
                .subscribe().with(subscriber -> LOG.debugf("subscribed to %s", channel),
                        failure -> LOG.errorf("subscribing to %s failed: %s", channel, failure));
    }

    /** chat:stop: if this instance generates that answer, it stops now (Redis already has the stopped entry). */
    private void stopHeard(String answerId) {
        Generation generation = generating.remove(answerId);
        if (generation != null) {
            generation.future.cancel(false);
            LOG.debugf("answer %s stopped after %d tokens", answerId, generation.next);
        }
    }

    /** chat:appended: the connections following that answer here read its new entries. */
    private void appendedHeard(String answerId) {
        Set<AnswerFollower> followers = following.get(answerId);
        if (followers != null) {
            followers.forEach(AnswerFollower::wake);
        }
    }

    private void tick() {
        following.values().forEach(followers -> followers.forEach(AnswerFollower::tick));
    }

    /** Runs the append script; answers the new entry id, "missing" or "finished". */
    private String append(String answerId, String... fields) {
        List<String> args = new ArrayList<>(List.of(APPEND, "1", key(answerId),
                Long.toString(Math.max(1, answerTtl.toSeconds())), APPENDED, answerId));
        args.addAll(List.of(fields));
        Response response = redis.execute("EVAL", args.toArray(String[]::new));
        return response.toString();
    }

    private static AnswerEntry toEntry(StreamMessage<String, String, String> message) {
        return new AnswerEntry(EntryId.parse(message.id()), Map.copyOf(message.payload()));
    }

    static java.util.concurrent.Executor workers() {
        return Infrastructure.getDefaultWorkerPool();
    }

    /** One answer being generated on this instance: a token per tick, then {@code done}. */
    private final class Generation implements Runnable {

        private final String answerId;
        private final List<String> tokens;
        private int next;
        private int failures;
        volatile ScheduledFuture<?> future;

        Generation(String answerId, List<String> tokens) {
            this.answerId = answerId;
            this.tokens = tokens;
        }

        @Override
        public void run() {
            if (future != null && future.isCancelled()) {
                return;
            }
            try {
                if (next == tokens.size()) {
                    end("done", null);
                    return;
                }
                String result = append(answerId, "type", "chunk", "text", tokens.get(next));
                if (result.equals("finished") || result.equals("missing")) {
                    // Stopped (the stop message may still be on its way) or expired: nothing more to write.
                    quit();
                    return;
                }
                next++; // only once Redis has it: a failed append is tried again with the same token
                failures = 0;
            } catch (RuntimeException e) {
                LOG.warnf("appending to answer %s failed (%s)", answerId, e.toString());
                if (++failures * tokenInterval.toMillis() > answerTtl.toMillis()) {
                    quit(); // Redis was gone for longer than the answer would be kept: give up
                }
            }
        }

        void end(String type, String reason) {
            try {
                if (type.equals("done")) {
                    append(answerId, "type", "done", "by", instance.name());
                } else {
                    append(answerId, "type", type, "by", instance.name(), "reason", reason);
                }
            } catch (RuntimeException e) {
                LOG.warnf("ending answer %s failed (%s)", answerId, e.toString());
            }
            quit();
        }

        private void quit() {
            generating.remove(answerId, this);
            if (future != null) {
                future.cancel(false);
            }
        }
    }

    /** POST /chat when this instance already generates chat.max-generating answers. */
    public static final class TooBusy extends RuntimeException {
        TooBusy() {
            super("this instance is generating as many answers as it may; try again", null, false, false);
        }
    }

    /** No answer with that id: never started, or expired. */
    public static final class UnknownAnswer extends RuntimeException {
        UnknownAnswer(String answerId) {
            super("no answer " + answerId + ": it never existed or it expired", null, false, false);
        }
    }
}
