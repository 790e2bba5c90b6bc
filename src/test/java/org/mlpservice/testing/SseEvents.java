package org.mlpservice.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Reads a Server-Sent Events body as the flow tests see it over real HTTP. */
public final class SseEvents {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One event: its name and its JSON data. */
    public record Event(String name, JsonNode data) {
    }

    private SseEvents() {
    }

    /** Reads "event:" / "data:" blocks until the stream ends. */
    public static List<Event> read(Stream<String> lines) {
        List<Event> events = new ArrayList<>();
        String[] name = {null};
        StringBuilder data = new StringBuilder();
        lines.forEach(line -> {
            if (line.startsWith("event:")) {
                name[0] = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            } else if (line.isEmpty() && name[0] != null) {
                events.add(new Event(name[0], JSON.readTree(data.toString())));
                name[0] = null;
                data.setLength(0);
            }
        });
        if (name[0] != null) {
            events.add(new Event(name[0], JSON.readTree(data.toString())));
        }
        return events;
    }
}
