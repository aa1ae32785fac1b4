package org.acme.sse.underload;

import java.time.LocalDate;

/** The data of every event of this chapter: {@code {"id":7,"time":"2026-12-02T14:30:00.123Z"}}. */
final class Events {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** The date part of today's stamps, made once a day: {@code 2026-12-02T}. */
    private record Day(long epochDay, String prefix) {
    }

    private static volatile Day today = new Day(Long.MIN_VALUE, "");

    private Events() {
    }

    /**
     * The JSON, stamped now with millisecond precision. Written by hand: two fields, no escaping needed (a
     * number and an ISO-8601 instant), and it is the one step of ours that runs for every event. A
     * {@code DateTimeFormatter} would allocate a BigDecimal, a ZonedDateTime and its rules per stamp (JFR's
     * allocation samples of a 1,000-stream run put them at a tenth of the app's allocations).
     */
    static String json(long id) {
        StringBuilder json = new StringBuilder(56).append("{\"id\":").append(id).append(",\"time\":\"");
        appendIsoMillis(json, System.currentTimeMillis());
        return json.append("\"}").toString();
    }

    /** {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, always three fraction digits (for years 0 to 9999). */
    static StringBuilder appendIsoMillis(StringBuilder out, long epochMillis) {
        long epochDay = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        Day day = today;
        if (day.epochDay() != epochDay) {
            day = new Day(epochDay, LocalDate.ofEpochDay(epochDay) + "T");
            today = day;
        }
        int ofDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        out.append(day.prefix());
        twoDigits(out, ofDay / 3_600_000).append(':');
        twoDigits(out, ofDay / 60_000 % 60).append(':');
        twoDigits(out, ofDay / 1000 % 60).append('.');
        int millis = ofDay % 1000;
        return out.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10)).append('Z');
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
