package org.acme.sse.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.acme.sse.testing.OnEventLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The embedded generator's timer: its rhythm, {@code chat.tokens-per-second}, at the edges of what it accepts; and,
 * as chapter 04 sets a stream's timers, on the event loop that subscribed (where Quarkus REST subscribes for a
 * request), never without one, and gone with the answer however it ends. On a Vert.x of the test's own.
 */
class TokenTimerTest {

    private static final ChatRequest TWENTY_TOKENS = new ChatRequest("x",
            List.of(new ChatRequest.Message("user", "anything")), true, false, 20);

    private static final long TIMEOUT_SECONDS = 10;

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @ParameterizedTest
    @ValueSource(ints = { 999, 1_000 })
    void theHighestRatesStillStreamEveryToken(int tokensPerSecond) throws Exception {
        // Subscribed as Quarkus REST subscribes, in an event-loop context: the generator's timer needs one.
        CompletableFuture<List<JsonNode>> answer = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> generator(vertx, tokensPerSecond).chunks(TWENTY_TOKENS)
                .collect().asList().subscribe().with(answer::complete, answer::completeExceptionally));
        List<JsonNode> chunks = answer.get(30, TimeUnit.SECONDS);

        // the role, 20 content tokens, finish_reason, usage
        assertThat(chunks).hasSize(23);
        assertThat(chunks.get(21).path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @ParameterizedTest
    @ValueSource(ints = { 1_001, 2_000, 1_000_000_000, 2_000_000_000, 0, -1 })
    void aRateOutOfBoundsIsRefusedBeforeAnyAnswer(int tokensPerSecond) {
        assertThatThrownBy(() -> generator(vertx, tokensPerSecond))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chat.tokens-per-second must be between 1 and 1000")
                .hasMessageEndingWith("not " + tokensPerSecond);
    }

    @Test
    void thePeriodIsInWholeMillisecondsAsAVertxTimerCountsThem() {
        assertThat(GuideAnswers.tokenPeriod(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(GuideAnswers.tokenPeriod(30)).isEqualTo(Duration.ofMillis(33));
        assertThat(GuideAnswers.tokenPeriod(1_000)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void everyTokenIsMadeOnTheEventLoopThatSubscribed() throws Exception {
        OnEventLoop.Recorded<?> answer = OnEventLoop.collect(vertx, () -> generator(vertx, 200).chunks(TWENTY_TOKENS),
                Duration.ofSeconds(TIMEOUT_SECONDS));

        assertThat(answer.threads()).as("the thread of each chunk: role, 20 tokens, finish_reason, usage").hasSize(23)
                .containsOnly(answer.subscribedOn());
    }

    @Test
    void anAnswerGeneratedOutsideAVertxContextFailsLoudly() {
        assertThat(Vertx.currentContext()).as("the test's own thread has no Vert.x context").isNull();
        assertThatThrownBy(() -> generator(vertx, 200).chunks(TWENTY_TOKENS).collect().asList().await()
                .atMost(Duration.ofSeconds(TIMEOUT_SECONDS)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
    }

    @Test
    void anAnswerWhoseClientLeftLeavesNothingBehindInItsTimer() throws Exception {
        WeakReference<List<JsonNode>> reader = subscribeAndCancel();
        await("what the answer's reader kept, garbage-collected").atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    System.gc();
                    return reader.get() == null;
                });
    }

    /**
     * One token a second, cancelled after the first one, as Quarkus REST cancels when the connection closes. A
     * timer still set would keep the answer's chain alive, down to its reader and the list it fills. In a method of
     * its own, so that nothing on the test's stack still refers to that list.
     */
    private static WeakReference<List<JsonNode>> subscribeAndCancel() throws Exception {
        Context eventLoop = vertx.getOrCreateContext();
        CompletableFuture<Cancellable> subscribed = new CompletableFuture<>();
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        eventLoop.runOnContext(ignored -> subscribed.complete(generator(vertx, 1).chunks(TWENTY_TOKENS).subscribe()
                .with(received::add)));
        Cancellable subscription = subscribed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(received).as("the role, and the first token at once").hasSize(2);
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        eventLoop.runOnContext(ignored -> {
            subscription.cancel();
            cancelled.complete(null);
        });
        cancelled.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new WeakReference<>(received);
    }

    /** The bean as Quarkus builds it: fields injected, then its @PostConstruct check. */
    private static GuideAnswers generator(Vertx vertx, int tokensPerSecond) {
        GuideAnswers answers = new GuideAnswers();
        answers.guides = new GuideIndex() {
            @Override
            public List<Passage> search(String question, int limit) {
                return List.of(); // the answer that says nothing matched: over 20 tokens, and no index to build
            }
        };
        answers.json = new ObjectMapper();
        answers.vertx = vertx;
        answers.tokensPerSecond = tokensPerSecond;
        answers.model = "test";
        answers.checkRate();
        return answers;
    }
}
