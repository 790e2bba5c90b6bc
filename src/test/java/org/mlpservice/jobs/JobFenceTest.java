package org.mlpservice.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.testing.ClusterDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The job table's claims and fences on a real database: each claim raises the fence; a publication runs
 * only while its claim holds, in one transaction with the fence check, so what a replica that lost the
 * job inserts (a version) is rolled back; and a job publishes at most once.
 */
class JobFenceTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private JdbcTemplate jdbc;
    private JobTable table;

    @BeforeEach
    void freshTable() {
        DriverManagerDataSource db = new DriverManagerDataSource(ClusterDatabase.fresh());
        Flyway.configure().dataSource(db).load().migrate();
        jdbc = new JdbcTemplate(db);
        jdbc.execute("CREATE TABLE versions (training_job_id text UNIQUE)"); // a stand-in for the store's version table
        table = new JobTable(db, new DataSourceTransactionManager(db));
        assertThat(table.enqueue("training", "j1", Instant.now(), "{}", "{}", 10, 3)).isTrue();
    }

    private Claim claim(String owner) {
        return table.claim(owner, LEASE, List.of("training"), c -> table.fence(c, owner, LEASE));
    }

    private int versions() {
        return jdbc.queryForObject("SELECT count(*) FROM versions", Integer.class);
    }

    private String publish(Claim claim) {
        return claim.publish(() -> {
            jdbc.update("INSERT INTO versions VALUES (?)", claim.id());
            return "published";
        });
    }

    @Test
    void aClaimThatWasOvertakenPublishesNothingAndTheNewOwnerPublishesOnce() {
        Claim first = claim("a");
        assertThat(first.fence()).isEqualTo(1);
        assertThat(claim("b")).as("a claimed job is not claimed twice").isNull();
        // A's lease runs out (A hangs); the reaper puts the job back and B claims it.
        jdbc.update("UPDATE jobs SET lease_until = now() - interval '1 second'");
        assertThat(table.requeue("j1", id -> { }, submitted -> new JobTable.NewEvent("JobStateChanged", submitted, false))).isTrue();
        Claim second = claim("b");
        assertThat(second.fence()).isEqualTo(2);
        assertThat(second.attempt()).isEqualTo(2);

        assertThatThrownBy(() -> publish(first)).isInstanceOf(FenceLostException.class);
        assertThat(versions()).isZero();

        assertThat(publish(second)).isEqualTo("published");
        assertThat(versions()).isEqualTo(1);
        assertThatThrownBy(() -> publish(second)).as("at most once, even by its owner").isInstanceOf(FenceLostException.class);
        assertThat(versions()).isEqualTo(1);
    }

    @Test
    void aPublicationThatFailsLeavesTheJobUnpublished() {
        Claim claim = claim("a");
        assertThatThrownBy(() -> claim.publish(() -> {
            jdbc.update("INSERT INTO versions VALUES (?)", claim.id());
            throw new IllegalStateException("the disk is full");
        })).hasMessageContaining("disk");
        assertThat(versions()).isZero();
        assertThat(jdbc.queryForObject("SELECT published_at IS NULL FROM jobs", Boolean.class)).isTrue();
        assertThat(publish(claim)).isEqualTo("published");
    }

    @Test
    void theOwnersWritesStopOnceItLostTheJob() {
        Claim first = claim("a");
        assertThat(table.progress("j1", first.fence(), "a", JobState.RUNNING, "{}", 5L, 1,
                List.of(new JobTable.NewEvent("EpochCompleted", "{}", false)), id -> { })).isTrue();
        jdbc.update("UPDATE jobs SET lease_until = now() - interval '1 second'");
        table.requeue("j1", id -> { }, submitted -> new JobTable.NewEvent("JobStateChanged", submitted, false));
        Claim second = claim("b");
        assertThat(table.progress("j1", first.fence(), "a", JobState.RUNNING, "{}", 5L, 3, List.of(), id -> { })).isFalse();
        assertThat(table.finish("j1", first.fence(), "a", JobState.SUCCEEDED, "{}", null, 3, List.of(), id -> { })).isFalse();
        assertThat(table.finish("j1", second.fence(), "b", JobState.SUCCEEDED, "{}", null, 3, List.of(), id -> { })).isTrue();
        assertThat(table.row("j1").state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(table.events("j1", 0, 10)).extracting(JobTable.Event::seq).containsExactly(1L, 2L);
    }
}
