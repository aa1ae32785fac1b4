package org.acme.sse.abort;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MultivaluedMap;

/** The small explicit checks of the chapter's query parameters. */
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

    /** Query parameters as a JSON object: a string per name, or an array when the name is repeated. */
    static Map<String, Object> asObject(MultivaluedMap<String, String> query) {
        Map<String, Object> object = new LinkedHashMap<>();
        query.forEach((name, values) -> object.put(name, values.size() == 1 ? values.get(0) : List.copyOf(values)));
        return object;
    }
}
