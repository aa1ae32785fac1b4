package org.acme.sse.eventsource;

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
 * The back-pressure pitfall on the wire: a client that stops reading for a while, its stream paused by a
 * stalled socket. Every tick must still arrive, in order, and the response end properly. Why the server's send
 * buffer is pinned to 16 KB here: {@link StalledClientScenario}.
 */
@QuarkusTest
@TestProfile(StalledClientWireTest.SmallSendBuffer.class)
class StalledClientWireTest {

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void keepsEveryTickWhileTheClientStopsReading() throws Exception {
        StalledClientScenario.stallThenReadAll(sse, 100, 10);
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
