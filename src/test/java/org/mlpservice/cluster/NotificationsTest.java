package org.mlpservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.ClusterDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** Two replicas' notifications on one database: sent at commit, never on rollback, heard again after the connection breaks. */
class NotificationsTest {

    private DriverManagerDataSource database;
    private PostgresNotifications a;
    private PostgresNotifications b;

    @BeforeEach
    void start() {
        database = new DriverManagerDataSource(ClusterDatabase.fresh());
        a = new PostgresNotifications(database);
        b = new PostgresNotifications(database);
        a.start();
        b.start();
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.stop();
            b.stop();
        }
    }

    @Test
    void whatOneReplicaSendsEveryListeningReplicaHears() throws Exception {
        BlockingQueue<String> heardByA = new LinkedBlockingQueue<>();
        BlockingQueue<String> heardByB = new LinkedBlockingQueue<>();
        a.listen("job_cancel", heardByA::add);
        b.listen("job_cancel", heardByB::add);
        b.listen("other", p -> heardByB.add("other:" + p));

        b.send("job_cancel", "job-1");

        assertThat(heardByA.poll(5, TimeUnit.SECONDS)).isEqualTo("job-1");
        assertThat(heardByB.poll(5, TimeUnit.SECONDS)).isEqualTo("job-1");
        assertThat(heardByB.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void insideATransactionItIsSentAtCommitAndNeverOnRollback() throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        a.listen("versions", heard::add);
        SingleConnectionDataSource one = new SingleConnectionDataSource(database.getUrl(), true);
        PostgresNotifications sender = new PostgresNotifications(one);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(one));
        try {
            tx.executeWithoutResult(status -> {
                sender.send("versions", "rolled back");
                status.setRollbackOnly();
            });
            tx.executeWithoutResult(status -> {
                sender.send("versions", "committed");
                assertThat(heard).isEmpty(); // not before the commit
            });
            assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("committed");
            assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            one.destroy();
        }
    }

    @Test
    void aBrokenListeningConnectionIsOpenedAgainAndListensToItsChannelsAgain() throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        a.listen("epochs", heard::add);
        JdbcTemplate jdbc = new JdbcTemplate(database);
        // Every other connection to this database goes: the listeners' among them.
        jdbc.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid()", rs -> null);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String got = null;
        while (got == null && System.nanoTime() < deadline) {
            b.send("epochs", "after");
            got = heard.poll(500, TimeUnit.MILLISECONDS);
        }
        assertThat(got).isEqualTo("after");
    }

    @Test
    void channelsAreIdentifiers() {
        assertThatThrownBy(() -> a.send("x; DROP TABLE jobs", "p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.listen("Upper", p -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
