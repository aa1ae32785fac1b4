package org.acme.sse.weblib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.acme.sse.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpExchange;

/**
 * What Chromium's own EventSource does where the HTML Standard is silent, loose, or says otherwise -- each point
 * a guide makes about the browser, checked in the browser -- and what the fetch client of this module does
 * instead where EventSource cannot help (a 503 with Retry-After).
 */
class ChromiumEventSourceTest {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    private static StreamServer server;
    private Page page;

    /** One HTTP request the test server answered: when it came, when its answer ended, its Last-Event-ID. */
    record Exchange(long receivedMillis, long answeredMillis, String lastEventId) {
    }

    /** Answers the n-th request with the n-th body (the last one again after that), and records each exchange. */
    static final class Sequence {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        private final List<String> bodies;

        Sequence(String... bodies) {
            this.bodies = List.of(bodies);
        }

        void answer(HttpExchange exchange) throws IOException {
            long received = System.currentTimeMillis();
            String body = bodies.get(Math.min(exchanges.size(), bodies.size() - 1));
            respond(exchange, 200, "text/event-stream", body, Map.of());
            exchanges.add(new Exchange(received, System.currentTimeMillis(),
                    exchange.getRequestHeaders().getFirst("Last-Event-ID")));
        }
    }

    private static final Sequence EMPTY_RETRY = new Sequence(
            "retry:100\ndata:a\n\n", // reconnect after 100 ms
            "retry:\ndata:b\n\n", // an empty retry field
            "data:c\n\n");
    private static final Sequence ID_ACROSS_RECONNECTS = new Sequence(
            "retry:100\nid:5\ndata:a\n\n", // the event with id 5, then the stream ends
            "data:b\n\n"); // no id: on the new connection
    private static final List<Exchange> BUSY_EVENT_SOURCE = new CopyOnWriteArrayList<>();
    private static final List<Exchange> BUSY_THEN_STREAM = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() {
        server = new StreamServer();
        // text/event-stream with the charset named in the path.
        server.handle("/charset/", exchange -> respond(exchange, 200,
                "text/event-stream; charset=" + exchange.getRequestURI().getPath().substring("/charset/".length()),
                "data:\u00e9t\u00e9\n\n", Map.of()));
        // A redirect, with the status named in the path, to a stream of one event.
        server.handle("/moved/", exchange -> respond(exchange,
                Integer.parseInt(exchange.getRequestURI().getPath().substring("/moved/".length())), "text/plain", "",
                Map.of("Location", "/stream?" + StreamServer.streamQuery("data:moved\n\n"))));
        server.handle("/empty-retry", EMPTY_RETRY::answer);
        server.handle("/id-across-reconnects", ID_ACROSS_RECONNECTS::answer);
        server.handle("/busy-event-source", exchange -> {
            BUSY_EVENT_SOURCE.add(new Exchange(System.currentTimeMillis(), 0, null));
            respondBusy(exchange, "1");
        });
        // The first request is refused with a 503 and Retry-After: 1; the next one gets its stream.
        server.handle("/busy-then-stream", exchange -> {
            long received = System.currentTimeMillis();
            exchange.getRequestBody().readAllBytes();
            if (BUSY_THEN_STREAM.isEmpty()) {
                respondBusy(exchange, "1");
            } else {
                respond(exchange, 200, "text/event-stream", "data:served\n\n", Map.of());
            }
            BUSY_THEN_STREAM.add(new Exchange(received, System.currentTimeMillis(), null));
        });
        server.handle("/busy-for-long", exchange -> {
            exchange.getRequestBody().readAllBytes();
            respondBusy(exchange, exchange.getRequestURI().getQuery().substring("retryAfter=".length()));
        });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void openPage() {
        page = chromium.newPage();
        page.navigate(server.base() + "/test.html");
    }

    @Test
    void failsTheConnectionWhenTheCharsetIsNotUtf8() {
        // The spec decodes every event stream as UTF-8 whatever the Content-Type says; Chromium fails the
        // connection instead ("EventSource's response has a charset ... that is not UTF-8").
        assertEquals(List.of("error readyState=2"), run("/charset/iso-8859-1", 1));
        assertEquals(List.of("open", "message data=\u00e9t\u00e9 lastEventId="), run("/charset/utf-8", 1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = { 301, 302, 307, 308 })
    void followsARedirectBeforeTheStreamStarts(int status) {
        // "Fail the connection" is for the final response: a redirect is followed first, as for any fetch.
        assertEquals(List.of("open", "message data=moved lastEventId="), run("/moved/" + status, 1));
    }

    @Test
    void anEmptyRetryFieldResetsTheReconnectionTimeToThreeSeconds() {
        assertEquals(List.of("open", "message data=a lastEventId=", "error readyState=0", "open",
                "message data=b lastEventId=", "error readyState=0", "open", "message data=c lastEventId="),
                run("/empty-retry", 3));
        List<Exchange> exchanges = EMPTY_RETRY.exchanges;
        long afterRetry100 = exchanges.get(1).receivedMillis() - exchanges.get(0).answeredMillis();
        long afterEmptyRetry = exchanges.get(2).receivedMillis() - exchanges.get(1).answeredMillis();
        assertTrue(afterRetry100 < 1500, "retry:100 should give a reconnection after about 100 ms, took " + afterRetry100);
        // The spec would ignore the empty field and keep 100 ms; Chromium goes back to its default, 3000 ms.
        assertTrue(afterEmptyRetry >= 2500, "after an empty retry: the reconnection took " + afterEmptyRetry + " ms");
    }

    @Test
    void aNewConnectionStartsWithTheLastEventIdOfTheOldOne() {
        // The spec starts each stream's last event ID buffer empty, so "b" (no id: field) would carry "" and the
        // next reconnection no Last-Event-ID. Chromium's new parser starts with the old id: "b" still carries 5.
        assertEquals(List.of("open", "message data=a lastEventId=5", "error readyState=0", "open",
                "message data=b lastEventId=5", "error readyState=0", "open", "message data=b lastEventId=5"),
                run("/id-across-reconnects", 3));
        assertEquals("5", ID_ACROSS_RECONNECTS.exchanges.get(2).lastEventId());

        // sse-parser.js follows the spec for a new stream, and takes the old id when the caller passes it.
        Object ids = page.evaluate("""
                async () => {
                  const { createParser } = await import('/lib/sse-parser.js');
                  const ids = [];
                  createParser({ onEvent: (e) => ids.push(e.lastEventId) }).feed('data:b\\n\\n');
                  createParser({ onEvent: (e) => ids.push(e.lastEventId), lastEventId: '5' }).feed('data:b\\n\\n');
                  return ids;
                }""");
        assertEquals(List.of("", "5"), ids);
    }

    @Test
    void eventSourceSeesOnlyAnErrorForA503AndNeverComesBack() {
        // The 503 carries Retry-After: 1 and a problem body, and EventSource can read neither: one error event,
        // readyState CLOSED. Coming back later is up to the page.
        assertEquals(List.of("error readyState=2"), run("/busy-event-source", 1));
        page.waitForTimeout(2000); // twice the Retry-After: a negative can only be checked by waiting
        assertEquals(1, BUSY_EVENT_SOURCE.size());
    }

    @Test
    void theFetchClientWaitsForRetryAfterOnA503ThenStreams() {
        Object result = page.evaluate("""
                async () => {
                  const { fetchEventStream } = await import('/lib/fetch-event-stream.js');
                  const log = [];
                  await fetchEventStream('/busy-then-stream', {
                    body: {},
                    onRetryAfter: (ms, attempt) => log.push(`retry after ${ms} ms, attempt ${attempt}`),
                    onEvent: (e) => log.push(`${e.type} ${e.data}`),
                  });
                  return log;
                }""");
        assertEquals(List.of("retry after 1000 ms, attempt 1", "message served"), result);
        long waited = BUSY_THEN_STREAM.get(1).receivedMillis() - BUSY_THEN_STREAM.get(0).answeredMillis();
        assertTrue(waited >= 950, "the second request came " + waited + " ms after the 503, before Retry-After");
    }

    @Test
    void anAbortEndsTheWaitForRetryAfterAtOnce() {
        Object result = page.evaluate("""
                async () => {
                  const { fetchEventStream } = await import('/lib/fetch-event-stream.js');
                  const controller = new AbortController();
                  const started = performance.now();
                  try {
                    await fetchEventStream('/busy-for-long?retryAfter=30', {
                      body: {}, signal: controller.signal, onRetryAfter: () => controller.abort(),
                    });
                    return 'resolved';
                  } catch (error) {
                    return `${error.name} after less than 5 s: ${performance.now() - started < 5000}`;
                  }
                }""");
        assertEquals("AbortError after less than 5 s: true", result);
    }

    @Test
    void theFetchClientReportsARetryAfterItWillNotWaitFor() {
        Object result = page.evaluate("""
                async () => {
                  const { fetchEventStream } = await import('/lib/fetch-event-stream.js');
                  try {
                    await fetchEventStream('/busy-for-long?retryAfter=3600', { body: {} });
                    return 'resolved';
                  } catch (error) {
                    return `${error.name} ${error.status} ${error.retryAfterMs} ${error.message}`;
                  }
                }""");
        assertEquals("StreamError 503 3600000 503 too busy", result);
    }

    /**
     * Opens an EventSource on {@code path} in the page and returns what it saw -- open, message (data and
     * lastEventId), error (readyState) -- until {@code messages} messages arrived or the source closed.
     */
    @SuppressWarnings("unchecked")
    private List<String> run(String path, int messages) {
        return (List<String>) page.evaluate("""
                ({ path, messages }) => new Promise((resolve) => {
                  const log = [];
                  const source = new EventSource(path);
                  const finish = () => { source.close(); resolve(log); };
                  setTimeout(() => { log.push('timed out'); finish(); }, 15000);
                  source.addEventListener('open', () => log.push('open'));
                  source.addEventListener('message', (e) => {
                    log.push(`message data=${e.data} lastEventId=${e.lastEventId}`);
                    if (log.filter((line) => line.startsWith('message')).length === messages) finish();
                  });
                  source.addEventListener('error', () => {
                    log.push(`error readyState=${source.readyState}`);
                    if (source.readyState === EventSource.CLOSED) finish();
                  });
                })""", Map.of("path", path, "messages", messages));
    }

    private static void respondBusy(HttpExchange exchange, String retryAfter) throws IOException {
        respond(exchange, 503, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"too busy\"}",
                Map.of("Retry-After", retryAfter));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body,
            Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
