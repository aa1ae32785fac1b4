package org.acme.sse.underload;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * WebSocket compression off, both kinds. While either is supported, Vert.x puts Netty's WebSocket extension
 * handler into the pipeline of every HTTP/1.1 connection, SSE included, and it adds a listener to every write.
 * {@code quarkus.websockets-next.server.per-message-compression-supported} covers per-message deflate only;
 * Vert.x also supports the older per-frame deflate by default, and only its options turn that off.
 */
@ApplicationScoped
public class NoWebSocketCompression implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    }
}
