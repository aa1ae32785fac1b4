package org.acme.sse.ssevsws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Over HTTP/1.1 Chromium keeps at most six connections per origin, and an open EventSource holds one for as
 * long as it lives. A WebSocket over HTTP/1.1 has a connection of its own, counted apart from that pool. (Over
 * HTTP/2, RFC 8441, it would be a stream of a shared connection instead; not tested here.)
 */
@QuarkusTest
class ConnectionLimitPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    @Test
    void aWebSocketStillOpensWhenSixEventSourcesHoldEveryHttpConnection() {
        Page page = chromium.newPage();
        page.navigate(index.toString());
        Object outcome = page.evaluate("""
                async () => {
                  const opened = (target) => new Promise((resolve) => target.addEventListener('open', () => resolve(true)));
                  const sources = [];
                  for (let i = 0; i < 6; i++) sources.push(new EventSource('/sse?count=1000&intervalMs=1000'));
                  await Promise.all(sources.map(opened));

                  const seventh = new EventSource('/sse?count=1000&intervalMs=1000');
                  const seventhOpened = await Promise.race([opened(seventh), new Promise((r) => setTimeout(() => r(false), 1000))]);

                  const socket = new WebSocket(`ws://${location.host}/ws?count=1&intervalMs=10`);
                  const firstMessage = await new Promise((resolve) => {
                    socket.addEventListener('message', (event) => resolve(JSON.parse(event.data).type));
                    setTimeout(() => resolve('nothing within 10 s'), 10_000);
                  });
                  [...sources, seventh].forEach((source) => source.close());
                  socket.close();
                  return `seventh EventSource opened: ${seventhOpened}; WebSocket's first message: ${firstMessage}`;
                }""");
        assertEquals("seventh EventSource opened: false; WebSocket's first message: tick", outcome);
    }
}
