package org.acme.sse.abort;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import org.acme.sse.testing.StalledClientScenario;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The back-pressure pitfall of chapter 01 on the wire, through this chapter's streams: a client that stops
 * reading for a while. The stream's emitter fails an event nobody asked for (BackPressureStrategy.ERROR), so
 * without onOverflow().buffer(n) the stream would fail as soon as the socket buffers are full; with it, the 400
 * ticks wait in the buffer (TickStreams.MAX_WAITING_EVENTS is 512). As in chapter 01, the server's send buffer
 * is pinned to 16 KB; why: {@link StalledClientScenario}.
 */
@QuarkusTest
@TestProfile(StalledClientWireTest.SmallSendBuffer.class)
class StalledClientWireTest {

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void keepsEveryTickWhileTheClientStopsReading() throws Exception {
        String body = StalledClientScenario.stallThenReadAll(sse, 400, 10);
        assertThat(body).contains("event:done\n");
    }

    /** Enables {@link SendBuffer16K} for this test class only. */
    public static class SmallSendBuffer implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SendBuffer16K.class);
        }
    }

    /** SO_SNDBUF on every accepted connection; setting it also stops Linux from growing the buffer. */
    @Alternative
    @Singleton
    public static class SendBuffer16K implements HttpServerOptionsCustomizer {
        @Override
        public void customizeHttpServer(HttpServerOptions options) {
            options.setSendBufferSize(16 * 1024);
        }
    }
}
