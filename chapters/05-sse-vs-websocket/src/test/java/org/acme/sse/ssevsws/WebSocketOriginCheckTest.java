package org.acme.sse.ssevsws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.core.net.HostAndPort;

/** The Origin rule on its own: which origins count as the page's own, and how a listed origin is matched. */
class WebSocketOriginCheckTest {

    private static final HostAndPort APP = HostAndPort.create("localhost", 8085);

    private static WebSocketOriginCheck allowing(String... origins) {
        WebSocketOriginCheck check = new WebSocketOriginCheck();
        check.allowedOrigins = origins.length == 0 ? Optional.empty() : Optional.of(List.of(origins));
        return check;
    }

    @Test
    void thePagesOwnOriginIsAllowedWhateverTheCase() {
        assertThat(allowing().isAllowed("http://localhost:8085", "http", APP)).isTrue();
        assertThat(allowing().isAllowed("HTTP://LocalHost:8085", "http", APP)).isTrue();
        // The default port is in neither the Origin nor the Host.
        HostAndPort defaultPort = HostAndPort.create("app.example.com", -1);
        assertThat(allowing().isAllowed("https://app.example.com", "https", defaultPort)).isTrue();
    }

    @Test
    void aLookAlikeIsNotTheSameOrigin() {
        assertThat(allowing().isAllowed("http://localhost:8085.evil.example", "http", APP)).isFalse();
        assertThat(allowing().isAllowed("http://evil-localhost:8085", "http", APP)).isFalse();
        assertThat(allowing().isAllowed("http://localhost:8086", "http", APP)).isFalse();
        assertThat(allowing().isAllowed("https://localhost:8085", "http", APP)).as("another scheme").isFalse();
        assertThat(allowing().isAllowed("http://localhost", "http", APP)).isFalse();
        assertThat(allowing().isAllowed("null", "http", APP)).isFalse();
        assertThat(allowing().isAllowed("localhost:8085", "http", APP)).as("not an origin: no scheme").isFalse();
    }

    @Test
    void aListedOriginIsMatchedExactlyIgnoringCaseAndATrailingSlash() {
        WebSocketOriginCheck check = allowing("https://app.example.com/", " https://admin.example.com ");
        assertThat(check.isAllowed("https://app.example.com", "http", APP)).isTrue();
        assertThat(check.isAllowed("https://APP.example.com", "http", APP)).isTrue();
        assertThat(check.isAllowed("https://admin.example.com", "http", APP)).isTrue();
        assertThat(check.isAllowed("http://app.example.com", "http", APP)).as("another scheme is another origin").isFalse();
        assertThat(check.isAllowed("https://app.example.com:8443", "http", APP)).isFalse();
        assertThat(check.isAllowed("https://evil.app.example.com", "http", APP)).isFalse();
    }
}
