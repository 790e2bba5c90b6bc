package org.mlpservice.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The replicas of the cluster, as the {@code replicas} table knows them: this one is written there at
 * start-up with the URL the others reach it at, beats ({@link #beat}, on the job heartbeat) and is
 * struck off when it stops. A replica whose last beat is older than a lease counts as gone.
 */
@Component
@ConditionalOnProperty(name = ClusterProperties.ENABLED, havingValue = "true")
public class Replicas {

    private static final Logger log = LoggerFactory.getLogger(Replicas.class);

    private final JdbcTemplate jdbc;
    private final ClusterProperties properties;
    private final String id;
    private final Environment environment;

    public Replicas(DataSource dataSource, ClusterProperties properties, Environment environment) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.properties = properties;
        String host = hostName();
        this.id = properties.replicaId().isBlank() ? host + "-" + UUID.randomUUID().toString().substring(0, 8)
                : properties.replicaId();
        this.environment = environment;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "replica";
        }
    }

    /** This replica's name in the job table. */
    public String id() {
        return id;
    }

    /**
     * Writes (or refreshes) this replica's row with the URL the others reach it at: {@code advertised-url},
     * else this host and the port the server listens on (known once it started).
     */
    public void register() {
        String url = properties.advertisedUrl().isBlank()
                ? "http://" + hostName() + ":" + environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"))
                : properties.advertisedUrl();
        jdbc.update("INSERT INTO replicas (id, url) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET url = excluded.url,"
                + " started_at = now(), heartbeat_at = now()", id, url);
        log.info("Cluster mode: replica {} at {}", id, url);
    }

    public void beat() {
        jdbc.update("UPDATE replicas SET heartbeat_at = now() WHERE id = ?", id);
    }

    /** Strikes this replica off (a graceful stop); the others see one replica fewer at once. */
    public void leave() {
        jdbc.update("DELETE FROM replicas WHERE id = ?", id);
    }

    /** The replicas whose last beat is younger than a lease, this one among them while it runs. */
    public List<String> live() {
        return jdbc.queryForList("SELECT id FROM replicas WHERE heartbeat_at > now() - make_interval(secs => ?) ORDER BY id",
                String.class, properties.lease().toMillis() / 1000.0);
    }

    /** The URL replica {@code replica} is reached at, if it heartbeats. */
    public Optional<String> url(String replica) {
        return jdbc.queryForList("SELECT url FROM replicas WHERE id = ? AND heartbeat_at > now() - make_interval(secs => ?)",
                String.class, replica, properties.lease().toMillis() / 1000.0).stream().findFirst();
    }
}
