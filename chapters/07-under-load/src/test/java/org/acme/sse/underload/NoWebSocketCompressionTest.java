package org.acme.sse.underload;

import static io.restassured.RestAssured.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With both kinds of WebSocket compression off ({@link NoWebSocketCompression} and the WebSockets Next key), no
 * HTTP/1.1 connection carries Netty's WebSocket extension handler, and a browser's offer of deflate is declined.
 */
@QuarkusTest
class NoWebSocketCompressionTest {

    private static final String EXTENSION_HANDLER =
            "io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler";

    @TestHTTPResource("/ws")
    URI ws;

    @Test
    void anHttp11ConnectionHasNoWebSocketExtensionHandler() {
        List<String> handlers = get("/test/pipeline").then().statusCode(200).extract().asString().lines().toList();
        // The probe sees the pipeline: Vert.x's HTTP/1.1 decoder is in it.
        assertThat(handlers).contains("io.vertx.core.http.impl.VertxHttpRequestDecoder");
        assertThat(handlers).doesNotContain(EXTENSION_HANDLER);
    }

    @Test
    void aWebSocketThatOffersDeflateIsOpenedWithoutIt() throws Exception {
        try (Socket socket = new Socket(ws.getHost(), ws.getPort())) {
            socket.setSoTimeout(10_000);
            // The offer Chromium makes (permessage-deflate, RFC 7692) and the older per-frame one.
            String request = "GET /ws HTTP/1.1\r\nHost: " + ws.getHost() + "\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-webkit-deflate-frame\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101 ");
            // The 101 names the extensions the server accepted: none.
            assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
