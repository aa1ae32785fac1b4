package org.acme.sse.underload;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;

/**
 * Test only: GET /test/pipeline answers with the class names of the Netty handlers in the pipeline of the
 * connection it came on, one per line. Every HTTP/1.1 connection gets the same pipeline, SSE ones included.
 */
@ApplicationScoped
class PipelineProbe {

    void register(@Observes Router router) {
        router.get("/test/pipeline").handler(request -> {
            ConnectionBase connection = (ConnectionBase) request.request().connection();
            String handlers = connection.channel().pipeline().toMap().values().stream()
                    .map(handler -> handler.getClass().getName())
                    .collect(Collectors.joining("\n"));
            request.response().putHeader("Content-Type", "text/plain").end(handlers);
        });
    }
}
