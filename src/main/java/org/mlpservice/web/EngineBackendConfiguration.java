package org.mlpservice.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.Trainer;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.engine.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Chooses the engine's matrix backend at start-up and makes it the engine's default
 * ({@link MatrixOps#setDefault}), so training jobs, predictions and evaluations use it.
 *
 * <p>{@code mlp.engine.backend}: {@code auto} (default: the Vector API kernel when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector}, else plain Java loops), {@code vector}, {@code java}
 * or {@code ejml}. {@code mlp.training.threads} (default: all cores) is the most threads one
 * product of a training job may use. The choice is logged, shown under {@code engine} in
 * {@code /actuator/info}, and the kernels are warmed in the background once the application is
 * ready, so that neither the first job nor the first prediction runs in the interpreter.
 */
@Configuration(proxyBeanMethods = false)
public class EngineBackendConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EngineBackendConfiguration.class);

    @Bean
    MatrixOps engineMatrixOps(@Value("${mlp.engine.backend:auto}") String backend,
                              @Value("${mlp.training.threads:0}") int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        MatrixOps ops = MatrixOps.select(backend, n);
        MatrixOps.setDefault(ops);
        if (!ops.name().equals(backend) && !backend.equalsIgnoreCase("auto")) {
            log.warn("Matrix backend '{}' is not available (start the JVM with --add-modules=jdk.incubator.vector); using '{}'",
                    backend, ops.name());
        }
        log.info("Engine matrix backend: {} (requested {}, Java {})", ops.describe(), backend, Runtime.version());
        return ops;
    }

    @Bean
    InfoContributor engineInfoContributor(MatrixOps engineMatrixOps) {
        return builder -> builder.withDetail("engine", describe(engineMatrixOps));
    }

    static Map<String, Object> describe(MatrixOps ops) {
        Map<String, Object> info = new LinkedHashMap<>(ops.describe());
        info.put("vectorApiAvailable", MatrixOps.vectorAvailable());
        info.put("java", Runtime.version().toString());
        return info;
    }

    /** Warms the kernels off the start-up path: a few training steps and predictions on a small network. */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        MatrixOps ops = MatrixOps.defaultOps();
        Thread warmer = new Thread(() -> warmKernels(ops), "mlp-engine-warmup");
        warmer.setDaemon(true);
        warmer.setPriority(Thread.MIN_PRIORITY);
        warmer.start();
    }

    /** Trains and predicts a little on {@code ops} (predictions on the engine's default); false when that failed. */
    static boolean warmKernels(MatrixOps ops) {
        long started = System.nanoTime();
        try {
            Random random = new Random(1);
            int rows = 512;
            int features = 64;
            float[] x = new float[rows * features];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            float[] y = new float[rows * 10];
            for (int r = 0; r < rows; r++) {
                y[r * 10 + random.nextInt(10)] = 1f;
            }
            Examples data = new Examples(x, y, rows, features, 10);
            Network network = Network.create(new NetworkSpec(features, List.of(new LayerSpec(128, "relu"),
                    new LayerSpec(64, "relu"), new LayerSpec(10, "softmax")), "categorical_crossentropy", "glorot_uniform", 1));
            Trainer.fit(network, data, TrainingConfig.builder().epochs(30).batchSize(32).optimizer(OptimizerSpec.adam(1e-3))
                    .ops(ops).build(), TrainingListener.NONE);
            float[] row = new float[features];
            for (int i = 0; i < 20_000; i++) {
                row[i % features] = (float) random.nextGaussian();
                network.predict(row, 1);
            }
            log.info("Engine kernels warmed in {} ms", (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            log.warn("Engine warm-up failed; the first job will warm the kernels itself", e);
            return false;
        }
    }
}
