package org.mlpservice.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

/**
 * Cluster mode ({@code mlp.cluster.*}): several replicas share one queue and one store on the
 * PostgreSQL database of {@code spring.datasource.*}. Off by default: one process, its data directory,
 * its jobs in memory.
 *
 * @param enabled   replicas share the database; false: this process alone
 * @param replicaId this replica's name in the job table and {@code /actuator/info}; blank: made from the
 *                  host name and a random suffix at start-up
 */
@ConfigurationProperties("mlp.cluster")
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") String replicaId) {

    public static final String ENABLED = "mlp.cluster.enabled";

    /** Whether {@code environment} turns cluster mode on (read before the properties are bound). */
    public static boolean enabled(Environment environment) {
        return environment != null && environment.getProperty(ENABLED, Boolean.class, false);
    }
}
