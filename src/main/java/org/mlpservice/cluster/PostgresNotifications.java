package org.mlpservice.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link Notifications} on PostgreSQL: one connection of the pool is kept for LISTEN, and one
 * daemon thread waits on it ({@code getNotifications} with a short timeout) and hands each
 * notification to the handlers of its channel. When the connection breaks it is opened again after a
 * pause and every channel is listened to again; what was sent meanwhile is lost (see the interface).
 * Sending goes through the {@link JdbcTemplate}, so it joins the caller's transaction.
 */
@Component
@ConditionalOnProperty(name = ClusterProperties.ENABLED, havingValue = "true")
public class PostgresNotifications implements Notifications, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int POLL_MILLIS = 200;
    private static final long RECONNECT_MILLIS = 1000;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    /** Channels the current connection listens to; cleared when it breaks. Guarded by this. */
    private final Set<String> listening = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread thread;
    private Connection connection; // guarded by this

    public PostgresNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public void send(String channel, String payload) {
        check(channel);
        jdbc.query("SELECT pg_notify(?, ?)", rs -> null, channel, payload);
    }

    @Override
    public void listen(String channel, Consumer<String> handler) {
        check(channel);
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(handler);
        synchronized (this) {
            if (connection != null && !listening.contains(channel)) {
                try {
                    listenOn(connection, channel);
                } catch (SQLException e) {
                    // The listener thread opens the connection again and listens to every channel then.
                    log.warn("LISTEN {} failed ({}); the connection is opened again", channel, e.getMessage());
                    closeQuietly();
                }
            }
        }
    }

    private static void check(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
    }

    private void listenOn(Connection c, String channel) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel); // checked against CHANNEL: a plain identifier
        }
        listening.add(channel);
    }

    private void run() {
        while (running) {
            try {
                PGConnection pg = connected();
                PGNotification[] received = pg.getNotifications(POLL_MILLIS);
                if (received != null) {
                    for (PGNotification n : received) {
                        dispatch(n.getName(), n.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    log.warn("Notifications: the listening connection failed ({}); opening it again in {} ms",
                            e.getMessage(), RECONNECT_MILLIS);
                    closeQuietly();
                    pause();
                }
            }
        }
        closeQuietly();
    }

    /** The listening connection, opened (and listening to every channel) when there is none. */
    private synchronized PGConnection connected() throws SQLException {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                c.setAutoCommit(true);
                connection = c;
                for (String channel : handlers.keySet()) {
                    listenOn(c, channel);
                }
            } catch (SQLException e) {
                closeQuietly();
                throw e;
            }
        }
        return connection.unwrap(PGConnection.class);
    }

    private void dispatch(String channel, String payload) {
        for (Consumer<String> handler : handlers.getOrDefault(channel, List.of())) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                log.warn("Notifications: a handler of {} failed", channel, e);
            }
        }
    }

    private synchronized void closeQuietly() {
        listening.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken already
            }
            connection = null;
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        try {
            connected(); // listening before the web server takes requests
        } catch (SQLException e) {
            log.warn("Notifications: no listening connection yet ({}); retrying", e.getMessage());
        }
        thread = new Thread(this::run, "cluster-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            try {
                t.join(POLL_MILLIS * 5L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the jobs and the web server and stops after them: they may notify until the end. */
    @Override
    public int getPhase() {
        return 0;
    }

    /** A paused (cached) test context keeps listening. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
