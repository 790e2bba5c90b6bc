package org.mlpservice.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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

    @Test
    void theWarmUpRunsWithoutError() {
        EngineBackendConfiguration.warmKernels();
    }
}
