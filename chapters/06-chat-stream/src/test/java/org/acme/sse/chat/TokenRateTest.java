package org.acme.sse.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The embedded generator's rhythm, {@code chat.tokens-per-second}, at the edges of what it accepts. */
class TokenRateTest {

    private static final ChatRequest TWENTY_TOKENS = new ChatRequest("x",
            List.of(new ChatRequest.Message("user", "anything")), true, false, 20);

    @ParameterizedTest
    @ValueSource(ints = { 999, 1_000 })
    void theHighestRatesStillStreamEveryToken(int tokensPerSecond) {
        List<JsonNode> chunks = generator(tokensPerSecond).chunks(TWENTY_TOKENS).collect().asList().await()
                .atMost(Duration.ofSeconds(30));

        // the role, 20 content tokens, finish_reason, usage
        assertThat(chunks).hasSize(23);
        assertThat(chunks.get(21).path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @ParameterizedTest
    @ValueSource(ints = { 1_001, 2_000, 1_000_000_000, 2_000_000_000, 0, -1 })
    void aRateOutOfBoundsIsRefusedBeforeAnyAnswer(int tokensPerSecond) {
        assertThatThrownBy(() -> generator(tokensPerSecond))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chat.tokens-per-second must be between 1 and 1000")
                .hasMessageEndingWith("not " + tokensPerSecond);
    }

    @Test
    void thePeriodIsInWholeMillisecondsAsTicksUsesIt() {
        assertThat(GuideAnswers.tokenPeriod(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(GuideAnswers.tokenPeriod(30)).isEqualTo(Duration.ofMillis(33));
        assertThat(GuideAnswers.tokenPeriod(1_000)).isEqualTo(Duration.ofMillis(1));
    }

    /** The bean as Quarkus builds it: fields injected, then its @PostConstruct check. */
    private static GuideAnswers generator(int tokensPerSecond) {
        GuideAnswers answers = new GuideAnswers();
        answers.guides = new GuideIndex() {
            @Override
            public List<Passage> search(String question, int limit) {
                return List.of(); // the answer that says nothing matched: over 20 tokens, and no index to build
            }
        };
        answers.json = new ObjectMapper();
        answers.tokensPerSecond = tokensPerSecond;
        answers.model = "test";
        answers.checkRate();
        return answers;
    }
}
