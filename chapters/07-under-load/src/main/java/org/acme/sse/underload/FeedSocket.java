package org.acme.sse.underload;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;

/** /ws: the same feed, the same bounded buffer, over a WebSocket -- one text message per event. */
@WebSocket(path = "/ws")
public class FeedSocket {

    @Inject
    Feed feed;

    @Inject
    ActiveStreams active;

    @ConfigProperty(name = "feed.subscriber-buffer")
    int buffer;

    private final Map<String, FeedSubscriber> subscribers = new ConcurrentHashMap<>();

    @OnOpen
    @NonBlocking // on the connection's event loop, where the feed will write to it (void would mean a worker)
    void open(WebSocketConnection connection) {
        FeedSubscriber subscriber = new FeedSubscriber.WebSocket(connection, buffer, active);
        subscribers.put(connection.id(), subscriber);
        active.ws.incrementAndGet();
        feed.add(subscriber);
    }

    @OnClose
    @NonBlocking
    void close(WebSocketConnection connection) {
        FeedSubscriber subscriber = subscribers.remove(connection.id());
        if (subscriber != null) {
            feed.remove(subscriber);
            active.ws.decrementAndGet();
        }
    }
}
