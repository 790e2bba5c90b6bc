package org.mlpservice.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlpservice.engine.MatrixOps;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The backend named by mlp.engine.backend becomes the engine's default and shows in /actuator/info. */
class EngineBackendConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(EngineBackendConfiguration.class);

    @AfterEach
    void restoreDefault() {
        MatrixOps.setDefault(MatrixOps.select("auto", Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void autoPicksTheVectorBackendWithAllCoresAndReportsIt() {
        context.run(ctx -> {
            MatrixOps ops = ctx.getBean(MatrixOps.class);
            assertThat(ops.name()).isEqualTo("vector"); // tests run with --add-modules=jdk.incubator.vector
            assertThat(ops.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(MatrixOps.defaultOps()).isSameAs(ops);

            Info.Builder builder = new Info.Builder();
            ctx.getBean(InfoContributor.class).contribute(builder);
            @SuppressWarnings("unchecked")
            Map<String, Object> engine = (Map<String, Object>) builder.build().getDetails().get("engine");
            assertThat(engine).containsEntry("backend", "vector").containsKeys("threads", "lanes", "vectorSpecies", "java");
        });
    }

    @Test
    void thePropertiesChooseBackendAndThreads() {
        context.withPropertyValues("mlp.engine.backend=ejml").run(ctx -> {
            assertThat(ctx.getBean(MatrixOps.class)).isSameAs(MatrixOps.ejml());
            assertThat(MatrixOps.defaultOps()).isSameAs(MatrixOps.ejml());
        });
        context.withPropertyValues("mlp.engine.backend=java", "mlp.training.threads=1").run(ctx -> {
            assertThat(ctx.getBean(MatrixOps.class).name()).isEqualTo("java");
            assertThat(ctx.getBean(MatrixOps.class).threads()).isEqualTo(1);
        });
    }

    @Test
    void anUnknownBackendStopsTheStart() {
        context.withPropertyValues("mlp.engine.backend=gpu").run(ctx -> assertThat(ctx).hasFailed());
    }

    /** The warm-up trains and predicts on the backend the application chose, so the first job finds its kernels compiled. */
    @Test
    void theWarmUpTrainsAndPredictsOnTheChosenBackend() {
        CountingProducts chosen = new CountingProducts();
        MatrixOps.setDefault(chosen); // as engineMatrixOps does at start-up

        assertThat(EngineBackendConfiguration.warmKernels(chosen)).as("warmed without error").isTrue();

        // 30 epochs of 16 batches, each with a gradient product per layer (3); then 20,000 predictions of 3 layers.
        assertThat(chosen.gradientProducts.get()).as("training products").isGreaterThanOrEqualTo(30 * 16 * 3);
        assertThat(chosen.forwardProducts.get()).as("forward products").isGreaterThanOrEqualTo(30 * 16 * 3 + 20_000 * 3);
    }

    /** EJML's products, counted. */
    private static final class CountingProducts implements MatrixOps {
        final AtomicInteger forwardProducts = new AtomicInteger();
        final AtomicInteger gradientProducts = new AtomicInteger();

        @Override
        public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            forwardProducts.incrementAndGet();
            MatrixOps.ejml().mult(a, b, c);
        }

        @Override
        public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            gradientProducts.incrementAndGet();
            MatrixOps.ejml().multTransA(a, b, c);
        }

        @Override
        public void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            MatrixOps.ejml().multTransB(a, b, c);
        }

        @Override
        public String name() {
            return "counting";
        }
    }
}
