package org.mlpservice.cluster;

import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps Spring Boot's database auto-configuration (the DataSource, JDBC, transactions and Flyway)
 * out of the service unless {@code mlp.cluster.enabled=true}: a single process keeps its data in its
 * directory and needs no database, and without this filter the DataSource auto-configuration would
 * fail at start-up for want of a URL. Registered in {@code META-INF/spring.factories}.
 */
public final class ClusterAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {

    /** The packages of the auto-configurations that only cluster mode uses. */
    private static final Set<String> DATABASE_PACKAGES = Set.of(
            "org.springframework.boot.jdbc.autoconfigure", "org.springframework.boot.flyway.autoconfigure");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean cluster = ClusterProperties.enabled(environment);
        boolean[] match = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < match.length; i++) {
            match[i] = cluster || autoConfigurationClasses[i] == null || !isDatabase(autoConfigurationClasses[i]);
        }
        return match;
    }

    private static boolean isDatabase(String className) {
        for (String pkg : DATABASE_PACKAGES) {
            if (className.startsWith(pkg + ".")) {
                return true;
            }
        }
        return false;
    }
}
