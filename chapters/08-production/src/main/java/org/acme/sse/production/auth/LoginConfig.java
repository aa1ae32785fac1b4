package org.acme.sse.production.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The limits of the login part of this chapter (keys {@code login.*} in application.properties). */
@ConfigMapping(prefix = "login")
public interface LoginConfig {

    /** How long a stream ticket may wait before it is used: long enough to open an EventSource, no more. */
    @WithDefault("30s")
    Duration ticketTtl();

    /**
     * How long one authenticated stream may run. A stream is authorised once, when it opens; this limit is when
     * the server ends it, so that the client must authenticate again to go on.
     */
    @WithDefault("10m")
    Duration streamMaxLifetime();

    /** How often a secure stream sends an event. */
    @WithDefault("1s")
    Duration tickInterval();

    /** How long a bearer token from {@code POST /access-tokens} is valid. */
    @WithDefault("15m")
    Duration accessTokenTtl();
}
