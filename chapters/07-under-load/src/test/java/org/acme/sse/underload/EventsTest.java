package org.acme.sse.underload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The hand-written stamp says what DateTimeFormatter says, on the awkward instants and on random ones. */
class EventsTest {

    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Test
    void stampsAsDateTimeFormatterWould() {
        long[] awkward = { 0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, -1, -86_400_001,
                Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli(),
                Instant.parse("2026-12-31T23:59:59.000Z").toEpochMilli(),
                Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli() };
        for (long millis : awkward) {
            assertStampedLikeTheReference(millis);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            // Each call may move to another day: the cached date prefix must follow.
            assertStampedLikeTheReference(random.nextLong(0, 253_402_300_800_000L));
        }
    }

    @Test
    void theJsonCarriesTheIdAndANowStamp() {
        long before = System.currentTimeMillis();
        String json = Events.json(42);
        long after = System.currentTimeMillis();
        assertThat(json).matches("\\{\"id\":42,\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\"}");
        long stamped = Instant.parse(json.substring(json.indexOf("time") + 7, json.length() - 2)).toEpochMilli();
        assertThat(stamped).isBetween(before, after);
    }

    private static void assertStampedLikeTheReference(long millis) {
        assertThat(Events.appendIsoMillis(new StringBuilder(), millis).toString())
                .as("%d ms", millis).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
    }
}
