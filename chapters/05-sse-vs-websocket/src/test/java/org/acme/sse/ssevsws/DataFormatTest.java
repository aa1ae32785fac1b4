package org.acme.sse.ssevsws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.acme.sse.testing.Chromium;
import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The "data format" row: a WebSocket carries bytes as they are, in a binary message; an event stream is UTF-8
 * text, so the same 256 bytes travel as 344 characters of base64, which the page has to decode.
 */
@QuarkusTest
class DataFormatTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<Integer> ALL_BYTES = IntStream.range(0, 256).boxed().toList();

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @TestHTTPResource("/")
    URL index;

    @TestHTTPResource("/ws")
    URI ws;

    @TestHTTPResource("/sse/binary")
    URI sseBinary;

    @Test
    void webSocketSendsTheBytesAsOneBinaryFrame() {
        try (RawWebSocket socket = RawWebSocket.open(URI.create(ws + "?count=1000&intervalMs=1000"))) {
            socket.readFrame(TIMEOUT); // the first tick
            socket.sendText("{\"action\":\"binary\"}");
            RawWebSocket.Frame frame = socket.readFrame(TIMEOUT);
            assertThat(frame.opcode()).as("opcode 0x2: binary").isEqualTo(0x2);
            assertThat(frame.payload()).isEqualTo(SampleBytes.get()).hasSize(256);
        }
    }

    @Test
    void sseSendsTheBytesAsBase64Text() {
        try (RawHttpStream stream = RawHttpStream.get(sseBinary)) {
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            Matcher event = Pattern.compile("event:binary\ndata:([A-Za-z0-9+/=]+)\n\n").matcher(stream.awaitEnd(TIMEOUT));
            assertThat(event.matches()).isTrue();
            assertThat(event.group(1)).hasSize(344); // 4 characters for every 3 bytes, rounded up
            assertThat(Base64.getDecoder().decode(event.group(1))).isEqualTo(SampleBytes.get());
        }
    }

    @Test
    void chromiumGetsAnArrayBufferOverWebSocketAndBase64TextOverEventSource() {
        Page page = chromium.newPage();
        page.navigate(index.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> received = (Map<String, Object>) page.evaluate("""
                async () => {
                  const url = new URL('/ws?count=1000&intervalMs=1000', location.href);
                  url.protocol = 'ws:';
                  const socket = new WebSocket(url);
                  socket.binaryType = 'arraybuffer';
                  const buffer = await new Promise((resolve) => {
                    socket.addEventListener('open', () => socket.send(JSON.stringify({ action: 'binary' })));
                    socket.addEventListener('message', (e) => { if (typeof e.data !== 'string') resolve(e.data); });
                  });
                  socket.close();
                  const text = await new Promise((resolve) => {
                    const source = new EventSource('/sse/binary');
                    source.addEventListener('binary', (e) => { source.close(); resolve(e.data); });
                  });
                  return {
                    webSocketType: Object.prototype.toString.call(buffer),
                    webSocketBytes: Array.from(new Uint8Array(buffer)),
                    eventSourceType: typeof text,
                    eventSourceLength: text.length,
                    decodedBytes: Array.from(atob(text), (c) => c.charCodeAt(0)),
                  };
                }""");
        assertThat(received.get("webSocketType")).isEqualTo("[object ArrayBuffer]");
        assertThat(numbers(received.get("webSocketBytes"))).isEqualTo(ALL_BYTES);
        assertThat(received.get("eventSourceType")).isEqualTo("string");
        assertThat(received.get("eventSourceLength")).isEqualTo(344);
        assertThat(numbers(received.get("decodedBytes"))).isEqualTo(ALL_BYTES);
    }

    private static List<Integer> numbers(Object array) {
        return ((List<?>) array).stream().map(n -> ((Number) n).intValue()).toList();
    }
}
