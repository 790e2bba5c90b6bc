package org.mlpservice.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

/**
 * Cluster mode ({@code mlp.cluster.*}): several replicas share one queue and one store on the
 * PostgreSQL database of {@code spring.datasource.*}. Off by default: one process, its data directory,
 * its jobs in memory.
 *
 * @param enabled       replicas share the database; false: this process alone
 * @param replicaId     this replica's name in the job table and {@code /actuator/info}; blank: made from the
 *                      host name and a random suffix at start-up
 * @param lease         how long a replica's claim on a job lasts unless its heartbeat renews it; a replica
 *                      that dies loses its jobs this long after its last heartbeat
 * @param heartbeat     how often a replica renews its leases, reads the cancels asked of its jobs, and
 *                      reaps the jobs of replicas whose leases ran out; well under {@code lease}
 * @param poll          how often an idle worker looks for queued work when no notification woke it
 * @param maxAttempts   claims a job gets; a job whose replica died this often ends FAILED saying so
 * @param advertisedUrl how the other replicas reach this one (steering requests are forwarded there);
 *                      blank: http://host-name:server.port
 */
@ConfigurationProperties("mlp.cluster")
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") String replicaId,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("1s") Duration poll,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("") String advertisedUrl) {

    public static final String ENABLED = "mlp.cluster.enabled";

    public ClusterProperties {
        if (lease == null || heartbeat == null || poll == null || heartbeat.isNegative() || heartbeat.isZero()
                || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("mlp.cluster.lease, heartbeat and poll must be positive");
        }
        if (heartbeat.multipliedBy(2).compareTo(lease) > 0) {
            throw new IllegalArgumentException("mlp.cluster.heartbeat (" + heartbeat + ") must be at most half of"
                    + " mlp.cluster.lease (" + lease + "): a live replica must renew its leases before they run out");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("mlp.cluster.max-attempts must be at least 1");
        }
    }

    /** Whether {@code environment} turns cluster mode on (read before the properties are bound). */
    public static boolean enabled(Environment environment) {
        return environment != null && environment.getProperty(ENABLED, Boolean.class, false);
    }
}
