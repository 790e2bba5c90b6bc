package org.mlpservice.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server that cluster tests run on: {@code MLP_TEST_JDBC_URL} names it (a superuser's
 * URL, as {@code .ci/postgres} exports for a throw-away server). Without it a cluster test is skipped
 * on a developer's machine and fails in CI ({@code CI} set): CI must never pass by not looking.
 * Every test takes a database of its own ({@link #fresh}), so tests never see each other's jobs.
 */
public final class ClusterDatabase {

    public static final String URL_VARIABLE = "MLP_TEST_JDBC_URL";

    private ClusterDatabase() {
    }

    /** The server's URL; skips (locally) or fails (CI) the calling test when none is set. */
    public static String serverUrl() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            String missing = URL_VARIABLE + " is not set (run the tests through .ci/run, or start PostgreSQL with"
                    + " `source .ci/postgres`)";
            if (System.getenv("CI") != null) {
                fail(missing + ". CI must run the cluster tests, not skip them.");
            }
            abort(missing + ": cluster test skipped");
        }
        return url;
    }

    /** Creates an empty database on the server and answers its JDBC URL (same user and options). */
    public static String fresh() {
        String server = serverUrl();
        String name = "mlp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create a test database on " + server + ": " + e.getMessage(), e);
        }
        return withDatabase(server, name);
    }

    /** {@code url} with its database replaced by {@code name}: jdbc:postgresql://host:port/db?options. */
    static String withDatabase(String url, String name) {
        int hostStart = url.indexOf("//") + 2;
        int slash = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String hostPort = url.substring(hostStart, slash >= 0 ? slash : query >= 0 ? query : url.length());
        String options = query >= 0 ? url.substring(query) : "";
        return url.substring(0, hostStart) + hostPort + "/" + name + options;
    }
}
