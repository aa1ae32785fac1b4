package org.acme.sse.underload.load;

import java.time.LocalDate;

/**
 * Parses {@code 2026-12-02T14:30:00.123Z} (what both servers write: Java's pattern and JavaScript's
 * {@code Date.toISOString()}; a longer fraction is cut to milliseconds) into epoch milliseconds, without
 * Instant.parse's allocations -- the generator reads tens of thousands of these a second and must not be the
 * bottleneck.
 */
final class IsoMillis {

    private IsoMillis() {
    }

    static long parse(String s, int at) {
        int year = digits(s, at, 4);
        int month = digits(s, at + 5, 2);
        int day = digits(s, at + 8, 2);
        int hour = digits(s, at + 11, 2);
        int minute = digits(s, at + 14, 2);
        int second = digits(s, at + 17, 2);
        // Instant.toString() writes no fraction at all for a whole second (chapter 09's "at").
        int millis = s.charAt(at + 19) == '.' ? digits(s, at + 20, 3) : 0;
        long days = LocalDate.of(year, month, day).toEpochDay();
        return (((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millis;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a yyyy-MM-ddTHH:mm:ss.SSSZ time at " + from + ": " + s);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
