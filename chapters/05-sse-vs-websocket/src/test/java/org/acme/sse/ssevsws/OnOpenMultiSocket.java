package org.acme.sse.ssevsws;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;

/**
 * The shortest way to stream over WebSockets Next, and the one the chapter does not use: return the Multi from
 * {@code @OnOpen} and let Quarkus subscribe. Test code only, for {@link OnOpenMultiTest}: it counts the streams it
 * runs, and {@code ?silent=true} filters every tick out, as a paused stream would; {@code ?slow=true} ticks every 4 s
 * instead of every 100 ms.
 */
@WebSocket(path = "/on-open-multi")
public class OnOpenMultiSocket {

    /** Streams subscribed and not yet terminated. */
    static final AtomicInteger RUNNING = new AtomicInteger();
    /** Set by the test to end whatever is left running, so that nothing outlives the test. */
    static final AtomicBoolean STOP_ALL = new AtomicBoolean();

    @OnOpen
    public Multi<String> ticks(WebSocketConnection connection) {
        String query = String.valueOf(connection.handshakeRequest().query());
        boolean silent = query.contains("silent=true");
        Duration interval = Duration.ofMillis(query.contains("slow=true") ? 4000 : 100);
        return Multi.createFrom().ticks().every(interval)
                .onOverflow().drop()
                .select().first(tick -> !STOP_ALL.get())
                .select().where(tick -> !silent)
                .map(tick -> "{\"type\":\"tick\",\"id\":" + tick + "}")
                .onSubscription().invoke(RUNNING::incrementAndGet)
                .onTermination().invoke(RUNNING::decrementAndGet);
    }
}
