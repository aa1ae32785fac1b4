package org.acme.sse.fetchstreaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.FlakyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Chromium's EventSource and cookies. The page is on http://127.0.0.1:(app port), an allowed origin; the
 * "other origin" is the same app behind a proxy on another port: same host, so the cookie applies to it (cookies
 * ignore ports), but another origin for CORS.
 */
@QuarkusTest
class CookiesAcrossOriginsPageTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    /** Opens an EventSource and gives the data of its first message, or how it failed. */
    private static final String OPEN = """
            ([url, withCredentials]) => new Promise((resolve) => {
              const source = new EventSource(url, { withCredentials });
              source.addEventListener('message', (event) => { source.close(); resolve(event.data); });
              source.addEventListener('error', () => {
                const readyState = source.readyState;
                source.close();
                resolve(`error readyState=${readyState}`);
              });
            })""";

    private Page pageWithASessionCookie() {
        Page page = chromium.newPage();
        page.navigate("http://127.0.0.1:" + index.getPort() + "/");
        page.evaluate("document.cookie = 'session=s-42; path=/'");
        return page;
    }

    private static Object open(Page page, String url, boolean withCredentials) {
        return page.evaluate(OPEN, List.of(url, withCredentials));
    }

    @Test
    void sameOriginTheCookieAlwaysGoes() {
        Page page = pageWithASessionCookie();
        assertEquals("{\"session\":\"s-42\"}", open(page, "/whoami", false));
    }

    @Test
    void crossOriginTheCookieGoesOnlyWithWithCredentials() {
        try (FlakyProxy otherOrigin = FlakyProxy.trickling(index.getPort(), 64 * 1024, Duration.ZERO)) {
            Page page = pageWithASessionCookie();
            String url = "http://127.0.0.1:" + otherOrigin.port() + "/whoami";
            assertEquals("{\"session\":null}", open(page, url, false));
            assertEquals("{\"session\":\"s-42\"}", open(page, url, true));
        }
    }

    @Test
    void aWildcardOriginIsNotEnoughWithCredentials() throws IOException {
        // A server that allows "*": fine without credentials; with them, Chromium sends the cookie but refuses
        // the answer (the Fetch standard's CORS check wants the exact origin and Allow-Credentials: true).
        List<String> cookiesReceived = new CopyOnWriteArrayList<>();
        HttpServer wildcard = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        wildcard.createContext("/whoami", exchange -> {
            cookiesReceived.add(String.valueOf(exchange.getRequestHeaders().getFirst("Cookie")));
            byte[] body = "data:answered\n\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().set("Access-Control-Allow-Credentials", "true");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        wildcard.start();
        try {
            Page page = pageWithASessionCookie();
            String url = "http://127.0.0.1:" + wildcard.getAddress().getPort() + "/whoami";
            assertEquals("answered", open(page, url, false));
            assertEquals("error readyState=2", open(page, url, true));
            assertEquals(List.of("null", "session=s-42"), cookiesReceived);
        } finally {
            wildcard.stop(0);
        }
    }
}
