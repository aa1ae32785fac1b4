package org.acme.sse.scaleout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.sse.testing.PackagedApp;
import org.acme.sse.testing.RedisServer;

/** A real Redis and two instances of the packaged app, A and B, each its own process on its own port. */
public final class TwoInstances implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\":\"(\\d+-\\d+)\"");
    private static final Pattern MESSAGE_ID = Pattern.compile("(?m)^id: (\\d+-\\d+)\ndata: \\{\"id\"");

    public final RedisServer redis;
    public final PackagedApp a;
    public final PackagedApp b;
    private final HttpClient http = HttpClient.newHttpClient();

    public TwoInstances(Map<String, String> extraProperties) {
        this(RedisServer.start(), extraProperties);
    }

    public TwoInstances(RedisServer redis, Map<String, String> extraProperties) {
        this.redis = redis;
        PackagedApp first = null;
        try {
            first = PackagedApp.start("A", null, "/subscribers", properties("A", extraProperties));
            b = PackagedApp.start("B", null, "/subscribers", properties("B", extraProperties));
        } catch (RuntimeException e) {
            if (first != null) {
                first.close();
            }
            redis.close();
            throw e;
        }
        a = first;
    }

    private Map<String, String> properties(String name, Map<String, String> extra) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.redis.hosts", redis.uri());
        properties.put("feed.instance-name", name);
        properties.putAll(extra);
        return properties;
    }

    /** POST /messages on one instance; the entry id it answered with. */
    String post(PackagedApp instance, String text) {
        HttpResponse<String> response = tryPost(instance, text);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /messages on " + instance.name() + ": " + response.statusCode()
                    + " " + response.body());
        }
        return idIn(response.body());
    }

    static String idIn(String body) {
        Matcher matcher = ID.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return matcher.group(1);
    }

    /** The ids of the messages in a feed's body, in the order they came (joined and reset events left out). */
    static List<String> messageIds(String body) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = MESSAGE_ID.matcher(body);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    /** POST /messages on one instance, whatever the answer. */
    HttpResponse<String> tryPost(PackagedApp instance, String text) {
        try {
            return http.send(HttpRequest.newBuilder(instance.uri("/messages"))
                    .header("Content-Type", "application/json")
                    .timeout(java.time.Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI feed(PackagedApp instance) {
        return instance.uri("/feed");
    }

    @Override
    public void close() {
        a.close();
        b.close();
        redis.close();
    }
}
