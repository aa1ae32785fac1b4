package org.acme.sse.underload;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The data of every event of this chapter: {@code {"id":7,"time":"2026-12-02T14:30:00.123Z"}}. */
final class Events {

    /** Always three fraction digits: Instant.toString() would write 14:30:00Z, without them, on a whole second. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Events() {
    }

    /**
     * The JSON, stamped now with millisecond precision. Written by hand: two fields, no escaping needed (a
     * number and an ISO-8601 instant), and it is the one allocation-heavy step that runs for every event.
     */
    static String json(long id) {
        return "{\"id\":" + id + ",\"time\":\"" + TIME.format(Instant.ofEpochMilli(System.currentTimeMillis())) + "\"}";
    }
}
