package org.acme.sse.chat;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/** The events of a complete text/event-stream body, read the simple way the tests need (LF line ends only). */
record EventStream(List<Event> events) {

    record Event(String type, String data) {
        JsonObject json() {
            return new JsonObject(data);
        }
    }

    static EventStream parse(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String type = "message";
            StringBuilder data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
            if (data != null) {
                events.add(new Event(type, data.toString()));
            }
        }
        return new EventStream(events);
    }

    /** The chunks: every data event but [DONE] and errors, as JSON. */
    List<JsonObject> chunks() {
        return events.stream().filter(e -> e.type().equals("message") && !e.data().equals("[DONE]")).map(Event::json).toList();
    }

    /** The answer's text: every delta's content, in order. */
    String content() {
        StringBuilder content = new StringBuilder();
        for (JsonObject chunk : chunks()) {
            if (!chunk.getJsonArray("choices").isEmpty()) {
                content.append(chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content", ""));
            }
        }
        return content.toString();
    }

    Event last() {
        return events.get(events.size() - 1);
    }
}
