package org.mlpservice.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Records what would be written; can be told to fail like a client that went away. */
public class RecordingEmitter extends SseEmitter {

    private static final Pattern NAME = Pattern.compile("event:(\\w+)");

    public record Sent(String name, Object data) {
    }

    public final List<Sent> sent = new ArrayList<>();
    public volatile boolean completed;
    public int failAfter = Integer.MAX_VALUE;

    @Override
    public synchronized void send(SseEventBuilder builder) throws IOException {
        if (sent.size() >= failAfter) {
            throw new IOException("Broken pipe");
        }
        String name = null;
        Object data = null;
        for (var part : builder.build()) {
            Matcher m = part.getData() instanceof String s ? NAME.matcher(s) : null;
            if (m != null && m.find()) {
                name = m.group(1);
            } else if (!(part.getData() instanceof String)) {
                data = part.getData();
            }
        }
        sent.add(new Sent(name, data));
    }

    @Override
    public synchronized void complete() {
        completed = true;
    }

    public List<String> names() {
        return sent.stream().map(Sent::name).toList();
    }
}
