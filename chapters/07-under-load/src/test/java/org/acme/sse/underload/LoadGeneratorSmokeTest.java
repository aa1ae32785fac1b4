package org.acme.sse.underload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.acme.sse.underload.load.LoadGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The benchmark's load generator works: 50 streams for 2 seconds against this app. Only that it opens, counts
 * and measures -- the figures themselves come from bench.sh, on a quiet machine, not from a timed test.
 */
@QuarkusTest
class LoadGeneratorSmokeTest {

    @TestHTTPResource("/sse")
    URI sse;

    @TestHTTPResource("/ws")
    URI ws;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void opensMeasuresAndClosesFiftySseStreams() throws Exception {
        LoadGenerator.Result result = LoadGenerator.run(new LoadGenerator.Options(
                URI.create(sse + "?intervalMs=100&count=1000000"), 50, 2, 1000, 10, 0, null, "smoke"));
        assertThat(result.requested()).isEqualTo(50);
        assertThat(result.open()).isEqualTo(50);
        assertThat(result.failed()).isZero();
        assertThat(result.eventsPerSecond()).isBetween(100.0, 600.0); // 500 asked; generous on a busy machine
        assertThat(result.max()).isGreaterThanOrEqualTo(result.p99()).isGreaterThanOrEqualTo(result.p50());
        assertThat(result.row()).startsWith("| smoke | 50 / 50 / 0 |");
        ServerStreams.awaitOpen("sse", 0, ServerStreams.WITHIN_A_SECOND_OR_SO); // it closed what it opened
    }

    @Test
    void countsWebSocketMessagesToo() throws Exception {
        LoadGenerator.Result result = LoadGenerator.run(new LoadGenerator.Options(
                URI.create(ws.toString().replaceFirst("^http", "ws")), 20, 2, 1000, 50, 0, null, "smoke ws"));
        assertThat(result.open()).isEqualTo(20);
        assertThat(result.failed()).isZero();
        assertThat(result.eventsPerSecond()).isPositive();
        ServerStreams.awaitOpen("ws", 0, ServerStreams.WITHIN_A_SECOND_OR_SO);
    }
}
