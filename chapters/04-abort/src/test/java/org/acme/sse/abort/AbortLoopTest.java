package org.acme.sse.abort;

import static org.acme.sse.abort.ServerCounts.awaitActive;
import static org.acme.sse.abort.ServerCounts.WITHIN_A_SECOND_OR_SO;
import static org.acme.sse.abort.ServerCounts.awaitNoStreams;

import java.net.URI;
import java.time.Duration;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many open/abort cycles leave nothing behind: active is back where it started. (Memory is measured by
 * StreamBenchmark, which is not run by ./mvnw verify: a heap figure is a measurement, not a test.)
 */
@QuarkusTest
class AbortLoopTest {

    @BeforeEach
    void startFromNoStreams() {
        awaitNoStreams(); // the previous test's clients may still be leaving
    }

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void fiveHundredOpenAbortCyclesLeaveNoActiveStream() {
        for (int i = 0; i < 500; i++) {
            try (RawHttpStream stream = RawHttpStream.get(URI.create(sse + "?count=100000&intervalMs=10"))) {
                stream.head(); // the stream has started; then the client leaves
            }
        }
        awaitActive(0, WITHIN_A_SECOND_OR_SO);
    }
}
