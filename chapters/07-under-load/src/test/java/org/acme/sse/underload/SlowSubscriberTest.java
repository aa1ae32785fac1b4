package org.acme.sse.underload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A subscriber that stops reading neither stalls the others nor makes the server hold its events: once its
 * buffer is full, the feed drops events for it alone, and tells it how many with a gap event when it reads again.
 * (The test profile sends 8 KiB events 50 times a second, so that the socket buffers fill in seconds.)
 */
@QuarkusTest
class SlowSubscriberTest {

    private static final Pattern GAP = Pattern.compile("event: gap\ndata: \\{\"missed\":(\\d+)}\n\n");

    @TestHTTPResource("/broadcast")
    URI broadcast;

    @BeforeEach
    void startFromNoStreams() {
        ServerStreams.awaitNoStreams();
    }

    @Test
    void aSubscriberThatStopsReadingLosesEventsButNobodyElseDoes() throws Exception {
        long droppedBefore = ServerStreams.dropped();
        try (Socket slow = new Socket(); RawHttpStream fast = RawHttpStream.get(broadcast)) {
            slow.setReceiveBufferSize(4096); // before connect: the window it advertises stays small
            slow.connect(new InetSocketAddress(broadcast.getHost(), broadcast.getPort()), 10_000);
            OutputStream out = slow.getOutputStream();
            out.write(("GET /broadcast HTTP/1.1\r\nHost: " + broadcast.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // ... and now it reads nothing.
            ServerStreams.awaitOpen("broadcast", 2, Duration.ofSeconds(10));

            // Its buffer fills: the feed starts dropping events for it instead of queueing them.
            await().atMost(Duration.ofSeconds(60)).until(() -> ServerStreams.dropped() > droppedBefore + 20);

            // Meanwhile the other subscriber gets every event, on time.
            int seenBefore = countEvents(fast.body());
            long droppedNow = ServerStreams.dropped();
            await().atMost(Duration.ofSeconds(10)).until(() -> countEvents(fast.body()) >= seenBefore + 25);
            // And the slow one goes on losing events, rather than the server keeping them.
            await().atMost(Duration.ofSeconds(10)).until(() -> ServerStreams.dropped() >= droppedNow + 25);
            assertThat(fast.body()).doesNotContain("event: gap");

            // When the slow one reads again, it learns how many events it missed.
            InputStream in = slow.getInputStream();
            StringBuilder read = new StringBuilder();
            byte[] chunk = new byte[64 * 1024];
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Matcher gap = GAP.matcher("");
            while (System.nanoTime() < deadline && !gap.reset(read).find()) {
                int n = in.read(chunk);
                assertThat(n).as("the slow subscriber's stream ended").isPositive();
                read.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(gap.reset(read).find()).as("a gap event").isTrue();
            assertThat(Long.parseLong(gap.group(1))).isGreaterThanOrEqualTo(25);
        }
    }

    private static int countEvents(String body) {
        int count = 0;
        for (int at = body.indexOf("\ndata: {\"id\":"); at >= 0; at = body.indexOf("\ndata: {\"id\":", at + 1)) {
            count++;
        }
        return count;
    }
}
