package org.acme.sse.underload;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestQuery;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/** GET /sse: a stream per connection, each with its own timer -- the shape of the article and chapters 02-04. */
@Path("/sse")
public class TickResource {

    @Inject
    Vertx vertx;

    @Inject
    ActiveStreams active;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> ticks(@RestQuery String intervalMs, @RestQuery String count, @Context Sse sse,
            HttpServerResponse response) {
        int interval = QueryParameters.intInRange("intervalMs", intervalMs, 1000, 10, 60_000);
        int total = QueryParameters.intInRange("count", count, 10, 1, 10_000_000);
        response.putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        return Multi.createFrom().<OutboundSseEvent>emitter(emitter -> {
            // We are on this connection's event loop: a Vert.x timer set here fires on the same thread, so each
            // event is created, stamped and written without a hop to another thread and without a queue.
            long[] next = { 0 };
            long timer = vertx.setPeriodic(interval, interval, id -> {
                long n = next[0]++;
                emitter.emit(sse.newEventBuilder().id(Long.toString(n)).data(Events.json(n)).build());
                if (n + 1 == total) {
                    emitter.emit(sse.newEventBuilder().name("done").data("{\"lastId\":" + n + "}").build());
                    emitter.complete();
                }
            });
            // Complete, failure, or the client went away: one timer to cancel, nothing else to clean up.
            emitter.onTermination(() -> {
                vertx.cancelTimer(timer);
                active.sse.decrementAndGet();
            });
            active.sse.incrementAndGet();
        });
    }
}
