package org.mlpservice.cluster;

import java.util.function.Consumer;

/**
 * One way for the replicas to tell each other something at once: PostgreSQL's LISTEN/NOTIFY
 * ({@link PostgresNotifications}, a bean only in cluster mode). A job cancelled on one replica, an
 * epoch written, a dataset deleted: the replicas that care hear it within milliseconds.
 * Notifications can be lost while the listening connection is re-established, so whatever must not
 * be missed is also read from the tables now and then (a heartbeat, a poll).
 */
public interface Notifications {

    /**
     * {@code pg_notify(channel, payload)}: every replica (this one too) gets it; inside a Spring
     * transaction it is sent when the transaction commits, never when it rolls back. The payload is
     * under 8,000 bytes; channels are lower-case identifiers ({@code [a-z_][a-z0-9_]*}).
     */
    void send(String channel, String payload);

    /**
     * Calls {@code handler} with the payload of each notification on {@code channel}, on the
     * listener's thread: it must be quick and hand heavy work to another thread. Returns once this
     * replica listens on the channel.
     */
    void listen(String channel, Consumer<String> handler);
}
