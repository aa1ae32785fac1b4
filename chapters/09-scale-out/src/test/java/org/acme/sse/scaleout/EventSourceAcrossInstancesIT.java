package org.acme.sse.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.PackagedApp;
import org.acme.sse.testing.RoundRobinProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

/**
 * Chromium's own EventSource behind a balancer that cuts every connection after a few hundred milliseconds and
 * sends each new one to the other instance: the browser reconnects again and again, each time with its
 * Last-Event-ID, each time to the instance it was not on.
 */
class EventSourceAcrossInstancesIT {

    private static final int MESSAGES = 30;

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    static TwoInstances instances;

    @BeforeAll
    static void start() {
        // A short retry: many reconnects while the messages are posted.
        instances = new TwoInstances(Map.of("feed.retry", "200ms"));
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void everyMessageArrivesExactlyOnceInOrderAcrossReconnectsToTheOtherInstance() throws InterruptedException {
        try (RoundRobinProxy balancer = RoundRobinProxy.cutting(
                List.of(instances.a.port(), instances.b.port()), Duration.ofMillis(400))) {
            Page page = chromium.newPage();
            page.navigate("http://127.0.0.1:" + balancer.port() + "/subscribers");
            page.evaluate("""
                    () => {
                      window.received = [];
                      window.joined = [];
                      window.resets = 0;
                      const source = new EventSource('/feed');
                      source.addEventListener('joined', (e) => window.joined.push(JSON.parse(e.data).instance));
                      source.addEventListener('reset', () => window.resets++);
                      source.onmessage = (e) => window.received.push(e.lastEventId);
                    }""");
            page.waitForFunction("() => window.joined.length >= 1");

            List<String> posted = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                PackagedApp to = i % 2 == 0 ? instances.a : instances.b;
                posted.add(instances.post(to, "m" + i));
                Thread.sleep(150); // a steady trickle across many cuts, not a burst between two of them
            }
            // A last one: a doubled message would have to come before it.
            posted.add(instances.post(instances.a, "last"));
            String lastId = posted.get(posted.size() - 1);
            page.waitForFunction("(id) => window.received.includes(id)", lastId,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));

            @SuppressWarnings("unchecked")
            List<String> received = (List<String>) page.evaluate("() => window.received");
            @SuppressWarnings("unchecked")
            List<String> joined = (List<String>) page.evaluate("() => window.joined");
            assertThat(received).containsExactlyElementsOf(posted);
            assertThat(page.evaluate("() => window.resets")).isEqualTo(0);
            // It really did move: several connections, on both instances, one after the other.
            assertThat(joined).hasSizeGreaterThanOrEqualTo(4).contains("A", "B");
            assertThat(switches(joined)).isGreaterThanOrEqualTo(3);
        }
    }

    private static int switches(List<String> instancesInOrder) {
        int switches = 0;
        for (int i = 1; i < instancesInOrder.size(); i++) {
            if (!instancesInOrder.get(i).equals(instancesInOrder.get(i - 1))) {
                switches++;
            }
        }
        return switches;
    }
}
