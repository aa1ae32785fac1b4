package org.acme.sse.scaleout;

import java.util.Map;

import org.acme.sse.testing.RedisServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real redis-server on a free loopback port for the app under test, stopped after. */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    static RedisServer redis;

    @Override
    public Map<String, String> start() {
        redis = RedisServer.start();
        return Map.of("quarkus.redis.hosts", redis.uri());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
