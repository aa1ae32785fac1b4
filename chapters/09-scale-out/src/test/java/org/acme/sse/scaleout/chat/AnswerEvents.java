package org.acme.sse.scaleout.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The events of an answer's stream as a test reads them from the raw body: type, id, data. */
record AnswerEvents(List<Event> events) {

    record Event(String type, String id, String data) {
    }

    private static final Pattern TEXT = Pattern.compile("^\\{\"text\":\"(.*)\"}$", Pattern.DOTALL);

    static AnswerEvents parse(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String type = "message";
            String id = null;
            StringBuilder data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> type = value;
                    case "id" -> id = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }
            if (data != null) {
                events.add(new Event(type, id, data.toString()));
            }
        }
        return new AnswerEvents(events);
    }

    List<Event> ofType(String type) {
        return events.stream().filter(event -> event.type().equals(type)).toList();
    }

    /** The ids of the chunk events, in the order they came. */
    List<String> chunkIds() {
        return ofType("chunk").stream().map(Event::id).toList();
    }

    /** The text of the chunk events, joined: JSON string escapes undone for what the generator writes. */
    String text() {
        return ofType("chunk").stream().map(event -> {
            Matcher matcher = TEXT.matcher(event.data());
            if (!matcher.matches()) {
                throw new AssertionError("not a chunk: " + event.data());
            }
            return matcher.group(1).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
        }).collect(Collectors.joining());
    }

    /** The type of the last event with an id: done, stopped, or (still going) chunk. */
    String lastType() {
        return events.isEmpty() ? null : events.get(events.size() - 1).type();
    }
}
