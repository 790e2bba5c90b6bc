package org.mlpservice.jobs;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * One kind's views and events as the job table stores them: JSON, an event with its type's simple name
 * (one of the permitted subclasses of the kind's sealed event type).
 */
final class KindCodec<J extends BackgroundJob<E, V>, E, V> {

    final JobKind<J, E, V> kind;
    private final JsonMapper json;
    private final Map<String, Class<? extends E>> eventTypes = new HashMap<>();

    @SuppressWarnings("unchecked")
    KindCodec(JobKind<J, E, V> kind, JsonMapper json) {
        this.kind = kind;
        this.json = json;
        Class<?>[] permitted = kind.eventType().getPermittedSubclasses();
        if (permitted == null) {
            throw new IllegalArgumentException(kind.eventType() + " must be a sealed type");
        }
        for (Class<?> type : permitted) {
            eventTypes.put(type.getSimpleName(), (Class<? extends E>) type);
        }
    }

    String write(Object value) {
        return json.writeValueAsString(value);
    }

    V view(String stored) {
        return json.readValue(stored, kind.viewType());
    }

    /** The event as stored; null for none. */
    JobTable.NewEvent event(E event) {
        return event == null ? null : new JobTable.NewEvent(event.getClass().getSimpleName(), write(event), false);
    }

    E event(String type, String data) {
        Class<? extends E> t = eventTypes.get(type);
        if (t == null) {
            throw new IllegalStateException("Unknown " + kind.name() + " event type " + type);
        }
        return json.readValue(data, t);
    }

    /** Whether an event of this type ends its stream (the kind's finished event). */
    boolean last(String type, V anyView) {
        return kind.finished(anyView).getClass().getSimpleName().equals(type);
    }
}
