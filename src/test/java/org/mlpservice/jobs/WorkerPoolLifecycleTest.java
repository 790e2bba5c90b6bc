package org.mlpservice.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Spring 7 pauses the lifecycle beans of a cached test context it sets aside, and restarts them when the
 * context is used again; a worker pool once stopped runs nothing again, so the pool is not pauseable.
 */
class WorkerPoolLifecycleTest {

    @Test
    void aPausedContextsPoolStillRunsJobsWhenTheContextIsUsedAgain() throws Exception {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(JobsProperties.class, () -> new JobsProperties(1, 4, java.time.Duration.ofHours(1), 10));
            context.registerBean(WorkerPool.class);
            context.refresh();
            WorkerPool pool = context.getBean(WorkerPool.class);

            context.pause();
            context.restart();

            CountDownLatch ran = new CountDownLatch(1);
            pool.submit(new Idle(), ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("the job ran after the pause").isTrue();
        }
    }

    /** A job that only has to exist for the pool to queue its work. */
    private static final class Idle extends BackgroundJob<Object, String> {
        Idle() {
            super("job", "idle", 1, Clock.systemUTC());
        }

        @Override
        protected Object endWithoutRunning(JobState outcome, String message) {
            return null;
        }

        @Override
        public void abandon(String note) {
        }

        @Override
        public String view(boolean details) {
            return "idle";
        }

        @Override
        public Long etaSeconds() {
            return null;
        }
    }
}
