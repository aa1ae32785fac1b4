package org.acme.sse.ssevsws;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Why TickSocket subscribes itself and cancels in @OnClose: on the Quarkus of this tutorial, a Multi returned
 * from @OnOpen is not cancelled when its connection closes (quarkus #41025, PR #41044). It stops at its next
 * send, which fails; a stream that sends nothing -- a paused one -- never stops.
 */
@QuarkusTest
class OnOpenMultiTest {

    @TestHTTPResource("/on-open-multi")
    URI endpoint;

    @BeforeEach
    void nothingRunning() {
        OnOpenMultiSocket.STOP_ALL.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> OnOpenMultiSocket.RUNNING.get() == 0);
        OnOpenMultiSocket.STOP_ALL.set(false);
    }

    @AfterEach
    void stopWhatIsLeft() {
        OnOpenMultiSocket.STOP_ALL.set(true);
    }

    @Test
    void aStreamThatSendsStopsOnlyAtItsNextSendAfterTheClose() {
        // One tick every 4 s: the first at once, the next one 4 s later.
        try (WsClient client = WsClient.connect(URI.create(endpoint + "?slow=true"))) {
            client.next("tick");
            client.sendClose();
            client.awaitClose();
        }
        // The connection is closed, and the stream still runs: the close did not cancel it...
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1))
                .until(() -> OnOpenMultiSocket.RUNNING.get() == 1);
        // ...the next tick did: its send fails ("Unable to send text message from Multi" in the log), and Quarkus
        // gives up the subscription.
        await().atMost(Duration.ofSeconds(5)).until(() -> OnOpenMultiSocket.RUNNING.get() == 0);
    }

    @Test
    void aStreamThatSendsNothingOutlivesItsConnection() {
        try (WsClient client = WsClient.connect(URI.create(endpoint + "?silent=true"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> OnOpenMultiSocket.RUNNING.get() == 1);
            client.sendClose();
            client.awaitClose();
        }
        // Twenty ticks after the connection closed, the stream and its timer still run: nothing cancelled them.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> OnOpenMultiSocket.RUNNING.get() == 1);
    }
}
