package org.acme.sse.scaleout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A Redis Stream entry id, {@code <milliseconds>-<sequence>}, both unsigned 64-bit numbers: what the feed sends as
 * the SSE {@code id:} and gets back as {@code Last-Event-ID}. Ids only grow, so comparing two of them says which
 * entry came first, on every instance.
 */
public record EntryId(long millis, long sequence) implements Comparable<EntryId> {

    public static final EntryId ZERO = new EntryId(0, 0);

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,20})-([0-9]{1,20})");

    /** Parses {@code 1700000000000-3}; anything else (a bare number too, or an out-of-range one) is refused. */
    public static EntryId parse(String text) {
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a stream entry id: " + text);
        }
        try {
            return new EntryId(Long.parseUnsignedLong(matcher.group(1)), Long.parseUnsignedLong(matcher.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stream entry id: " + text);
        }
    }

    @Override
    public int compareTo(EntryId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    public boolean isAfter(EntryId other) {
        return compareTo(other) > 0;
    }

    @JsonValue // in JSON, as on the wire: "1700000000000-3"
    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
