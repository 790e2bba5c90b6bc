package org.mlpservice.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mlpservice.jobs.InMemoryJobStore;
import org.mlpservice.jobs.JobState;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.StopReason;

/** The registry stays bounded: finished jobs leave after keepFinished, and beyond maxFinished the oldest go. */
class JobRegistryTest {

    private final MutableClock clock = new MutableClock();
    private int sequence;

    private TrainingJob job(String id) {
        return new TrainingJob(id, ++sequence, TrainingFixtures.plan(10, 1, 0.1, MatrixOps.ejml()), clock);
    }

    private static void succeed(TrainingJob job) {
        job.start();
        job.finish(JobState.SUCCEEDED, StopReason.COMPLETED, null, null, null);
    }

    @Test
    void finishedJobsAreForgottenAfterKeepFinished() {
        InMemoryJobStore<TrainingJob> registry = new InMemoryJobStore<>(Duration.ofHours(1), 1000, clock);
        TrainingJob done = job("done");
        TrainingJob waiting = job("waiting");
        registry.add(done);
        registry.add(waiting);
        succeed(done);

        clock.advance(Duration.ofMinutes(59));
        assertThat(registry.get("done")).isSameAs(done);

        clock.advance(Duration.ofMinutes(2));
        assertThat(registry.get("done")).isNull();
        assertThat(registry.get("waiting")).as("unfinished jobs are never evicted").isSameAs(waiting);
    }

    @Test
    void beyondMaxFinishedTheOldestFinishedGoFirst() {
        InMemoryJobStore<TrainingJob> registry = new InMemoryJobStore<>(Duration.ofDays(1), 2, clock);
        TrainingJob first = job("first");
        TrainingJob second = job("second");
        TrainingJob third = job("third");
        TrainingJob running = job("running");
        for (TrainingJob j : new TrainingJob[] {first, second, third, running}) {
            registry.add(j);
        }
        running.start();
        succeed(second);
        clock.advance(Duration.ofSeconds(1));
        succeed(first);
        clock.advance(Duration.ofSeconds(1));
        succeed(third);

        assertThat(registry.list(null)).extracting(TrainingJob::id).containsExactly("running", "third", "first");
        assertThat(registry.list(JobState.SUCCEEDED)).extracting(TrainingJob::id).containsExactly("third", "first");
    }

    @Test
    void listsNewestFirstAndFiltersByState() {
        InMemoryJobStore<TrainingJob> registry = new InMemoryJobStore<>(Duration.ofHours(1), 10, clock);
        TrainingJob a = job("a");
        registry.add(a);
        clock.advance(Duration.ofSeconds(1));
        TrainingJob b = job("b");
        registry.add(b);
        TrainingJob c = job("c"); // same instant as b: the sequence orders them
        registry.add(c);
        b.start();

        assertThat(registry.list(null)).extracting(TrainingJob::id).containsExactly("c", "b", "a");
        assertThat(registry.list(JobState.RUNNING)).extracting(TrainingJob::id).containsExactly("b");
        assertThat(registry.count(JobState.QUEUED)).isEqualTo(2);
    }
}
