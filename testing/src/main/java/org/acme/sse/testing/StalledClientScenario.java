package org.acme.sse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * The back-pressure pitfall on the wire: a client that stops reading a tick stream for a while, with a
 * {@link StalledReader}.
 *
 * Quarkus asks the Multi for the next tick only once the previous event's write has completed, that is, once
 * the bytes are in the kernel's send buffer. When the client stops reading, both socket buffers fill, a write
 * stays pending, and the timer's next tick finds no request. Over loopback Linux sizes the server's send buffer
 * for 64 KB segments (about 4 MB here): a whole stream fits in it and the stall never reaches Quarkus. So the
 * chapter's test pins the server's send buffer to 16 KB (Vert.x's {@code HttpServerOptions.setSendBufferSize},
 * through an {@code HttpServerOptionsCustomizer} in a test profile) and this scenario gives its own socket a
 * 4 KB receive buffer, so that about 1 KB an event over some hundred events is enough to fill them.
 */
public final class StalledClientScenario {

    /** Each event echoes the query parameters, this among them: about 1 KB an event. */
    private static final String CONTENT = "x".repeat(1000);
    private static final int RECEIVE_BUFFER_BYTES = 4096;
    private static final Pattern ID = Pattern.compile("data:\\{\"id\":(\\d+),");

    private StalledClientScenario() {
    }

    /**
     * Opens {@code sse} for {@code count} ticks every {@code intervalMs}, reads the first event, stops reading for
     * longer than the timer runs, then reads to the end. Checks that the stall did reach the server (most of the
     * stream was still to be sent), that every tick id arrived in order and that the response ended with its last
     * chunk; returns the body for the caller's own checks.
     */
    public static String stallThenReadAll(URI sse, int count, int intervalMs) throws InterruptedException {
        try (StalledReader client = StalledReader.get(
                URI.create(sse + "?count=" + count + "&intervalMs=" + intervalMs + "&content=" + CONTENT),
                RECEIVE_BUFFER_BYTES)) {
            client.readUntil("\n\n", Duration.ofSeconds(10));

            // The client stops reading for longer than the timer runs: without onOverflow() the stream fails
            // with "Could not emit tick n due to lack of requests" and the connection is reset mid-stream.
            Thread.sleep((long) count * intervalMs + 1000);
            // The premise: the server could not write the stream out, most of it was still to be sent.
            int waiting = client.waitingInReceiveBuffer();
            assertTrue(waiting < count * CONTENT.length() / 2,
                    "the stall must fill the buffers, but " + waiting + " bytes were already received");

            String body = client.readToEnd(Duration.ofSeconds(20));
            assertEquals(LongStream.range(0, count).boxed().toList(), idsIn(body), "the tick ids received");
            assertTrue(client.endedWithLastChunk(), "the response ends with its last chunk");
            return body;
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
}
