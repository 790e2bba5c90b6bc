package org.mlpservice.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many Server-Sent Event streams the service keeps open, and how far one may fall behind
 * ({@code mlp.events.*}).
 *
 * @param maxStreams       open event streams in all (training jobs and searches); one more answers 503
 *                         with Retry-After
 * @param maxStreamsPerJob open event streams on one job or search; one more answers 429 with Retry-After
 * @param buffer           events waiting for one slow client; when they overflow, the waiting progress
 *                         events are dropped and the client is sent a fresh {@code state} instead
 * @param heartbeat        how often an idle stream is sent an SSE comment, so that a client that went
 *                         away is noticed (its write fails) and its place freed
 */
@ConfigurationProperties("mlp.events")
public record EventsProperties(
        @DefaultValue("256") int maxStreams,
        @DefaultValue("16") int maxStreamsPerJob,
        @DefaultValue("256") int buffer,
        @DefaultValue("15s") Duration heartbeat) {

    @ConstructorBinding
    public EventsProperties {
        if (maxStreams < 1 || maxStreamsPerJob < 1 || buffer < 1) {
            throw new IllegalArgumentException("mlp.events.max-streams, max-streams-per-job and buffer must be at least 1");
        }
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("mlp.events.heartbeat must be positive");
        }
    }

    /** With the default heartbeat (15 s). */
    public EventsProperties(int maxStreams, int maxStreamsPerJob, int buffer) {
        this(maxStreams, maxStreamsPerJob, buffer, Duration.ofSeconds(15));
    }
}
