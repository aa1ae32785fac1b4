package org.acme.sse.customevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import org.acme.sse.testing.StalledReader;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The back-pressure pitfall of chapter 01 on the wire, through this chapter's merged stream: a client that stops
 * reading for a while. The merge of the ticks with the other streams of the response asks each for 128 items
 * ahead, so the ticks fail without onOverflow() only once the socket buffers and that queue are full: hence
 * more ticks than in chapter 01. As there, the server's send buffer is pinned to 16 KB (over loopback Linux
 * would grow it to about 4 MB) and the client's receive buffer is 4 KB.
 */
@QuarkusTest
@TestProfile(StalledClientWireTest.SmallSendBuffer.class)
class StalledClientWireTest {

    private static final Pattern ID = Pattern.compile("data:\\{\"id\":(\\d+),");

    @TestHTTPResource("/sse")
    URI sse;

    @Test
    void keepsEveryTickWhileTheClientStopsReading() throws Exception {
        int count = 400;
        int intervalMs = 10;
        // Each event echoes the query parameters: about 1 KB an event, 400 KB in all, far more than the buffers.
        String content = "x".repeat(1000);
        try (StalledReader client = StalledReader.get(
                URI.create(sse + "?count=" + count + "&intervalMs=" + intervalMs + "&content=" + content), 4096)) {
            client.readUntil("\n\n", Duration.ofSeconds(10));

            // The client stops reading for longer than the timer runs: without onOverflow() the stream fails
            // with "Could not emit tick n due to lack of requests" and the connection is reset mid-stream.
            Thread.sleep((long) count * intervalMs + 1000);
            // The premise: the server could not write the stream out, most of it was still to be sent.
            assertThat(client.waitingInReceiveBuffer()).isLessThan(count * content.length() / 2);

            String body = client.readToEnd(Duration.ofSeconds(20));
            assertThat(idsIn(body)).containsExactlyElementsOf(LongStream.range(0, count).boxed().toList());
            assertThat(body).contains("event:done\n");
            assertThat(client.endedWithLastChunk()).as("the response ends with its last chunk").isTrue();
        }
    }

    private static List<Long> idsIn(String body) {
        List<Long> ids = new ArrayList<>();
        Matcher matcher = ID.matcher(body);
        while (matcher.find()) {
            ids.add(Long.parseLong(matcher.group(1)));
        }
        return ids;
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
