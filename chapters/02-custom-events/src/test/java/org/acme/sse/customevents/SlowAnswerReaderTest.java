package org.acme.sse.customevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.stream.Stream;

import jakarta.ws.rs.sse.OutboundSseEvent;

import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * The answer's tokens come from ticks(), which fails a subscriber that has not asked for the next tick. Seven
 * short events fit in any socket buffer, so no client can hold the answer up on the wire; the stream itself can
 * be: this reader asks for one event, as Quarkus does, and asks for the next only after the whole answer's time.
 */
class SlowAnswerReaderTest {

    @Test
    void keepsEveryTokenForAReaderThatAsksLate() throws Exception {
        int intervalMs = 10;
        AssertSubscriber<OutboundSseEvent> reader = new AnswerResource()
                .answer(Integer.toString(intervalMs), SseImpl.INSTANCE)
                .subscribe().withSubscriber(AssertSubscriber.create(1));
        reader.awaitItems(1, Duration.ofSeconds(5));

        // Without onOverflow() the second tick fails the stream: "Could not emit tick 1 due to lack of requests".
        Thread.sleep((long) AnswerResource.TOKENS.size() * intervalMs + 500);
        reader.request(Long.MAX_VALUE);

        reader.awaitCompletion(Duration.ofSeconds(5));
        assertThat(reader.getItems()).extracting(OutboundSseEvent::getName).containsExactlyElementsOf(Stream.concat(
                Collections.nCopies(AnswerResource.TOKENS.size(), "token").stream(), Stream.of("done")).toList());
    }
}
