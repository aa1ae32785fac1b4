package org.acme.sse.underload;

import jakarta.ws.rs.BadRequestException;

/** The small explicit check of the chapter's query parameters. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** The parameter as an int in [min, max], or the default when it is absent; a 400 otherwise. */
    static int intInRange(String name, String value, int defaultValue, int min, int max) {
        if (value == null) {
            return defaultValue;
        }
        // ASCII digits only: Integer.parseInt would also take "１０" (full-width digits) as 10.
        if (!value.strip().matches("[+-]?[0-9]{1,10}")) {
            throw new BadRequestException(name + " must be a whole number between " + min + " and " + max);
        }
        long parsed = Long.parseLong(value.strip());
        if (parsed < min || parsed > max) {
            throw new BadRequestException(name + " must be between " + min + " and " + max + ", was " + parsed);
        }
        return (int) parsed;
    }
}
