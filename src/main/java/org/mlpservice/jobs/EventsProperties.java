package org.mlpservice.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;
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
 */
@ConfigurationProperties("mlp.events")
public record EventsProperties(
        @DefaultValue("256") int maxStreams,
        @DefaultValue("16") int maxStreamsPerJob,
        @DefaultValue("256") int buffer) {

    public EventsProperties {
        if (maxStreams < 1 || maxStreamsPerJob < 1 || buffer < 1) {
            throw new IllegalArgumentException("mlp.events.max-streams, max-streams-per-job and buffer must be at least 1");
        }
    }
}
