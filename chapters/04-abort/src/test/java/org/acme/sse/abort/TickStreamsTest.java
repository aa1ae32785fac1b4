package org.acme.sse.abort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * What each stream says, on the wire: the ticker of chapters 02 and 03 kept its behaviour when its timers moved
 * to the connection's event loop. Tests run with a keep-alive of 300 ms (application.properties). And a stream
 * that is not subscribed on an event loop fails at once instead of running its timers on the wrong thread.
 */
@QuarkusTest
class TickStreamsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    TickStreams tickStreams;

    @TestHTTPResource("/sse")
    URI sse;

    @TestHTTPResource("/fetch-sse")
    URI fetchSse;

    @Test
    void resumesAfterTheLastEventIdWithRetryOnTheFirstEventThenDone() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=4&intervalMs=10&retryMs=1234"),
                "Accept", "text/event-stream", EventSourceResource.LAST_EVENT_ID, "1")) {
            String body = stream.awaitEnd(TIMEOUT);
            assertThat(Pattern.compile("^id:(\\d+)$", Pattern.MULTILINE).matcher(body).results()
                    .map(id -> id.group(1))).containsExactly("2", "3");
            assertThat(body).startsWith("id:2\nevent:tick\nretry:1234\ndata:{\"id\":2,")
                    .containsOnlyOnce("retry:")
                    .endsWith("event:done\ndata:{\"lastId\":3}\n\n");
        }
    }

    @Test
    void theFetchStreamEchoesTheBodyAndEndsWithDoneWithoutRetry() {
        byte[] body = "{\"content\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
        try (RawHttpStream stream = RawHttpStream.send("POST", URI.create(fetchSse + "?count=3&intervalMs=10"), body,
                "Content-Type", "application/json")) {
            String events = stream.awaitEnd(TIMEOUT);
            assertThat(events).contains("data:{\"id\":0,").contains("\"request\":{\"content\":\"hello\"}")
                    .contains("id:2\n").doesNotContain("retry:")
                    .endsWith("event:done\ndata:{\"lastId\":2}\n\n");
        }
    }

    @Test
    void aQuietStreamSendsKeepAliveCommentsBetweenItsTicks() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=2&intervalMs=1500"))) {
            String body = stream.awaitEnd(TIMEOUT);
            String between = body.substring(body.indexOf("id:0"), body.indexOf("id:1"));
            // 1.5 s of no ticks, checked every 150 ms: several comments, never 300 ms of silence.
            assertThat(Pattern.compile("^: keep-alive$", Pattern.MULTILINE).matcher(between).results().count())
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aBusyStreamNeedsNoKeepAlive() {
        try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=50&intervalMs=20"))) {
            assertThat(stream.awaitEnd(TIMEOUT)).doesNotContain("keep-alive").endsWith("data:{\"lastId\":49}\n\n");
        }
    }

    @Test
    void aStreamSubscribedOutsideAVertxContextFailsLoudly() {
        assertThat(Vertx.currentContext()).as("the test's own thread has no Vert.x context").isNull();
        assertThatThrownBy(() -> tickStreams.ticks("test", null, 3, 10, 0, null, null)
                .collect().asList().await().atMost(TIMEOUT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
    }
}
