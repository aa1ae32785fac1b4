package org.acme.sse.production.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.acme.sse.testing.RawHttpStream;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The pitfall: Quarkus's "common" access-log pattern logs the request line, query string and all. */
@QuarkusTest
@TestProfile(CommonAccessLogTest.CommonPattern.class)
class CommonAccessLogTest {

    static final Path COMMON_LOG = Path.of("target/access-common.log");

    public static class CommonPattern implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.access-log.pattern", "common",
                    "quarkus.http.access-log.base-file-name", "access-common");
        }
    }

    @TestHTTPResource("/secure/sse")
    URL secureSse;

    @Test
    void theCommonPatternWritesTheTicketToTheLog() {
        String ticket = Login.ticket(Login.aliceCookie());
        try (RawHttpStream stream = RawHttpStream.get(URI.create(secureSse + "?ticket=" + ticket), "Accept", "text/event-stream")) {
            stream.awaitBodyContaining("event:tick", Duration.ofSeconds(15));
        }

        String log = await().atMost(Duration.ofSeconds(20)).until(() -> AccessLogTest.since(COMMON_LOG, 0),
                text -> text.contains(ticket));
        assertThat(log).contains("\"GET /secure/sse?ticket=" + ticket + " HTTP/1.1\" 200");
    }
}
