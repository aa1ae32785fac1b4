package org.acme.sse.ssevsws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Cross-site WebSocket hijacking, tried in Chromium: a page of another site opens a WebSocket to the app. The
 * browser lets it try (CORS does not apply to WebSockets) and sends the page's Origin; the app refuses the
 * handshake, and the page is left with an error and a close 1006, never an open socket. The app's own page,
 * with the same script, gets its ticks.
 */
@QuarkusTest
class OriginCheckPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    /** Opens a WebSocket to {@code url} from the page; resolves with what the page saw. */
    private static final String TRY_A_WEBSOCKET = """
            (url) => new Promise((resolve) => {
              const socket = new WebSocket(url);
              const seen = [];
              socket.addEventListener('open', () => seen.push('open'));
              socket.addEventListener('error', () => seen.push('error'));
              socket.addEventListener('message', (event) => seen.push(JSON.parse(event.data).type));
              socket.addEventListener('close', (event) => {
                seen.push(`close ${event.code}`);
                resolve(seen.join(', '));
              });
            })""";

    @BeforeEach
    void noStreamLeftFromEarlierTests() {
        ServerStreams.awaitNoStreams();
    }

    private String socketUrl() {
        return "ws://localhost:" + index.getPort() + "/ws?count=2&intervalMs=10";
    }

    @Test
    void aPageOfAnotherSiteCannotOpenAWebSocketToTheApp() throws IOException {
        // "Another site": a page served by a server of its own, on another loopback address and port.
        HttpServer otherSite = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        otherSite.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>another site</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        otherSite.start();
        try {
            Page page = chromium.newPage();
            page.navigate("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");

            Object[] seen = new Object[1];
            // The page learns nothing but "error" and 1006; Chromium's console says why.
            ConsoleMessage why = page.waitForConsoleMessage(
                    new Page.WaitForConsoleMessageOptions().setPredicate(message -> message.text().contains("WebSocket")),
                    () -> seen[0] = page.evaluate(TRY_A_WEBSOCKET, socketUrl()));

            assertEquals("error, close 1006", seen[0]);
            assertThat(why.text()).contains("Unexpected response code: 403");
        } finally {
            otherSite.stop(0);
        }
        assertEquals(0, ServerStreams.active(), "no tick stream was started for the other site");
    }

    @Test
    void theAppsOwnPageOpensTheSameWebSocket() {
        Page page = chromium.newPage();
        page.navigate(index.toString());

        assertEquals("open, tick, tick, done, close 1000", page.evaluate(TRY_A_WEBSOCKET, socketUrl()));
    }
}
