package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;

/**
 * The mini-batch loop allocates nothing once warmed up (issue 2: "no allocation inside the
 * mini-batch loop"; issue 4: "zero bytes allocated per mini-batch after warm-up").
 *
 * <p><b>What is measured.</b> {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}
 * counts every byte this thread allocates on the heap, TLAB contents included, so it sees the
 * smallest object. It is read, for this thread and the product threads ({@code mlp-matrix-*}, which
 * run parts of a step), around 100 mini-batches (fill input and target, forward, loss +
 * penalty, backward, optimizer step) after 200 warm-up ones. The bean is called once before
 * measuring (its first call may allocate), and the cost of a measurement with nothing inside it is
 * subtracted (it is 0 on HotSpot 17; the subtraction only keeps the test honest elsewhere). What
 * remains is what the training steps allocated, and it must be exactly 0.
 *
 * <p><b>Why a second JVM.</b> Two effects of HotSpot's C2 compiler make an in-process measurement
 * unreliable in both directions, and both were seen while writing this test:
 * <ul>
 * <li>C2's escape analysis removes allocations the source makes. An Iterator that
 *     {@code Optimizer.penalty()} created on every call (32 bytes per batch) disappeared once C2
 *     compiled that method, after 100 to 1,000 batches on a 64-32-32-10 network, so a window
 *     measured after that read 0 although the engine allocated.</li>
 * <li>When a method is first queued for C2, the requesting thread resolves all string constants of
 *     the method's class ({@code CompileBroker::compile_method} → {@code resolve_string_constants}),
 *     creating interned Strings (64–1,300 bytes) at whatever line the step happens to be. That
 *     happens a handful of times in the first few thousand steps, at moments that depend on the
 *     compiler threads, and is no allocation of the engine's.</li>
 * </ul>
 * So the strict measurement runs in a child JVM limited to C1 ({@code -XX:TieredStopAtLevel=1}):
 * C1 has no escape analysis and requests no string resolution, so every allocation the source
 * makes is counted, nothing else is, and the result is the same on every run. Then the same
 * workload is measured in this JVM (C2 on, as in production): there a window of 100 batches
 * must read 0 within the first {@value #WINDOWS} windows, or within a minute when the compiler is
 * slow to reach the kernels. Every window runs the same code paths
 * (the batch-size cycles, partial batches included, divide 100), so an allocation the step makes
 * even once in 100 batches would be in every window; a one-time JVM event is in one.
 */
class AllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final int WARM_UP = 200;
    private static final int MEASURED = 100;
    private static final int WINDOWS = 20;
    /** How long windows keep being measured, after the first {@link #WINDOWS}, until one reads 0. */
    private static final java.time.Duration WARM_UP_BUDGET = java.time.Duration.ofSeconds(60);

    /** Fit runs: E and 2E epochs. */
    private static final int EPOCHS = 10;
    /**
     * Allowed growth of fit()'s allocation per extra epoch. An epoch here is 100 training batches
     * plus 25 validation batches, so the smallest possible per-batch allocation (a 16-byte object,
     * one boxed Double) would add at least 1,600 bytes per epoch and fail; the legitimate per-epoch
     * records (an EpochStats ≈ 56 bytes, its four boxed Doubles 64, the history list's amortized
     * growth and its final copy) came to about 150 bytes per epoch when this was written.
     */
    private static final long EPOCH_ALLOWANCE = 1024;

    /** Written by every step so that nothing the steps compute is dead code. */
    private static double sink;

    /** Results of the C1-only child JVM, by workload name (computed once for all tests). */
    private static Map<String, long[]> childResults;

    private static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * This thread's bytes and those of the product threads ({@code mlp-matrix-*}, the helpers of
     * every backend in this JVM): a step runs shards and chunks on helpers too.
     */
    private static long allocatedBytes(long[] helpers) {
        long sum = allocatedBytes();
        for (long b : THREADS.getThreadAllocatedBytes(helpers)) {
            sum += Math.max(0, b); // −1 for a thread that has ended
        }
        return sum;
    }

    private static long[] productThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("mlp-matrix-"))
                .mapToLong(Thread::getId).toArray();
    }

    /** Bytes the measurement itself costs: two reads with nothing between them. */
    private static long baseline() {
        return baseline(null);
    }

    private static long baseline(long[] helpers) {
        allocatedBytes();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = helpers == null ? allocatedBytes() : allocatedBytes(helpers);
            long after = helpers == null ? allocatedBytes() : allocatedBytes(helpers);
            least = Math.min(least, after - before);
        }
        return least;
    }

    // ---------------------------------------------------------------- workloads

    /**
     * One network, its workspace and optimizer, and pre-generated random batches: everything a
     * step needs is allocated here, before any measurement.
     */
    static final class Rig {
        final Network network;
        final Workspace workspace;
        final Optimizer optimizer;
        final int batch;
        final int partialEvery; // every n-th batch is a short one (0: never); must divide 100
        final int partialRows;
        final float[] xs;
        final float[] ts;
        final int pool; // number of distinct pre-generated rows
        /** The trainer's two-phase step for large batches, where it applies (else null), on the pool in order. */
        final ShardedStep sharded;
        final Examples pooled;
        final int[] inOrder;
        final MetricAccumulator metrics;
        /** Rows carry loss weights (sample or class weights), in the workspace and in the sharded step. */
        boolean weighted;

        /** With the training features of issue 12 on: per-row weights and gradient clipping (dropout is in the spec). */
        Rig withFeatures(double clipNorm, double globalClipNorm) {
            weighted = true;
            optimizer.setClipping(clipNorm, globalClipNorm);
            float[] w = new float[pool];
            for (int i = 0; i < pool; i++) {
                w[i] = 0.5f + (i % 7) * 0.25f;
            }
            pooledWeighted = pooled.withWeights(w);
            return this;
        }

        Examples pooledWeighted;

        /** Steps between two resets of the metrics (divides 100, so every window runs the same paths). */
        static final int METRIC_RESET = 4;

        Rig(NetworkSpec spec, OptimizerSpec optimizerSpec, double l1, double l2, int batch, int partialEvery, int partialRows,
            MatrixOps ops) {
            this.network = Network.create(spec);
            this.workspace = network.workspace(batch, ops);
            this.optimizer = Optimizer.create(optimizerSpec, network.parameters());
            this.optimizer.setPenalties(l1, l2);
            this.batch = batch;
            this.partialEvery = partialEvery;
            this.partialRows = partialRows;
            this.pool = batch * 8;
            Random random = new Random(7);
            int in = network.inputs();
            int out = network.outputs();
            this.xs = new float[pool * in];
            this.ts = new float[pool * out];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) random.nextGaussian();
            }
            String loss = spec.loss();
            for (int r = 0; r < pool; r++) {
                if (loss.equals("categorical_crossentropy")) {
                    ts[r * out + random.nextInt(out)] = 1f;
                } else if (loss.equals("binary_crossentropy")) {
                    for (int c = 0; c < out; c++) {
                        ts[r * out + c] = random.nextBoolean() ? 1f : 0f;
                    }
                } else {
                    for (int c = 0; c < out; c++) {
                        ts[r * out + c] = (float) random.nextGaussian() * 0.5f;
                    }
                }
            }
            this.optimizer.useThreadsOf(ops);
            this.sharded = ShardedStep.create(network, batch, ops);
            this.pooled = new Examples(xs, ts, pool, in, out);
            this.inOrder = new int[pool];
            for (int i = 0; i < pool; i++) {
                inOrder[i] = i;
            }
            // As the trainer's: with an AUC buffer (used by binary classifiers), emptied every METRIC_RESET steps.
            this.metrics = new MetricAccumulator(loss.endsWith("crossentropy"), out, METRIC_RESET * batch);
        }

        /** Fill input and target, forward, loss, backward, update: one training step. */
        void step(int index) {
            int rows = partialEvery > 0 && index % partialEvery == partialEvery - 1 ? partialRows : batch;
            int in = network.inputs();
            int out = network.outputs();
            int first = (index * batch) % (pool - batch + 1);
            if (index % METRIC_RESET == 0) {
                metrics.reset(); // as the trainer does at each epoch's start
            }
            if (sharded != null && ShardedStep.shards(network, rows) > 1) {
                // As Trainer does: batches large enough run in shards on the product threads.
                sink += sharded.train(weighted ? pooledWeighted : pooled, inOrder, first, rows, network, optimizer, metrics,
                        optimizer.penalty(), 3, index);
                return;
            }
            FMatrixRMaj x = workspace.input(rows);
            FMatrixRMaj t = workspace.target(rows);
            System.arraycopy(xs, first * in, x.data, 0, rows * in);
            System.arraycopy(ts, first * out, t.data, 0, rows * out);
            workspace.weighted(weighted);
            if (weighted) {
                System.arraycopy(pooledWeighted.weights(), first, workspace.weights(), 0, rows);
            }
            // As Trainer does: the training forward pass, with the step's dropout masks (none without dropout).
            workspace.dropoutStep(3, index, 0);
            FMatrixRMaj y = workspace.forwardTraining();
            double loss = workspace.loss() + optimizer.penalty();
            metrics.add(y, t, loss); // as the trainer does: accuracy, log-loss, F1 counts, AUC scores
            if (index % 2 == 0) {
                // The trainer's path: kernels updated inside the backward pass.
                optimizer.beginFusedStep();
                workspace.backward(optimizer);
                optimizer.finishFusedStep();
            } else {
                workspace.backward();
                optimizer.step();
            }
            sink += loss + y.data[0];
        }

        /**
         * Bytes allocated by windows of {@link #MEASURED} steps after {@link #WARM_UP} ones, the
         * measurement cost removed: one entry per window, at least {@code windows} of them unless
         * one reads 0 first, and more until {@link #WARM_UP_BUDGET} has passed; stops at the first
         * window of 0 bytes.
         */
        long[] allocatedByTrainingSteps(int windows) {
            int index = 0;
            for (; index < WARM_UP; index++) {
                step(index);
            }
            long[] helpers = productThreads();
            long base = baseline(helpers);
            // On a loaded machine C2 may compile the Vector API kernels late (until then they
            // allocate their vector objects): keep measuring for up to WARM_UP_BUDGET after the
            // first windows, so a slow compiler queue is not mistaken for an engine allocation.
            long deadline = System.nanoTime() + WARM_UP_BUDGET.toNanos();
            long[] bytes = new long[windows];
            int measured = 0;
            while (measured < windows || System.nanoTime() < deadline) {
                long before = allocatedBytes(helpers);
                for (int i = 0; i < MEASURED; i++) {
                    step(index++);
                }
                long after = allocatedBytes(helpers);
                if (measured == bytes.length) {
                    bytes = Arrays.copyOf(bytes, 2 * bytes.length);
                }
                bytes[measured++] = after - before - base;
                if (bytes[measured - 1] == 0) {
                    break;
                }
            }
            if (!Double.isFinite(sink)) {
                throw new IllegalStateException("the training steps produced a non-finite loss");
            }
            return Arrays.copyOf(bytes, measured);
        }
    }

    private static NetworkSpec spec(int inputs, String loss, LayerSpec... layers) {
        return new NetworkSpec(inputs, List.of(layers), loss, "glorot_uniform", 3);
    }

    /**
     * The workloads, by name, each on a backend: {@code name@backend} (ejml, java or auto — the
     * Vector API where the JVM has it); a bare name runs on EJML.
     */
    static Rig rig(String nameAndBackend) {
        int at = nameAndBackend.indexOf('@');
        String name = at < 0 ? nameAndBackend : nameAndBackend.substring(0, at);
        MatrixOps ops = MatrixOps.select(at < 0 ? "ejml" : nameAndBackend.substring(at + 1), 2);
        NetworkSpec lecture = spec(2, "binary_crossentropy", new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid"));
        // Every 10th batch has 7 rows instead of 32, as the last batch of an epoch: the workspace
        // reshapes to fewer rows and back without reallocating.
        NetworkSpec softmax = spec(64, "categorical_crossentropy", new LayerSpec(32, "relu"), new LayerSpec(32, "tanh"),
                new LayerSpec(10, "softmax"));
        NetworkSpec exotic = spec(8, "mse", new LayerSpec(16, "prelu"), new LayerSpec(12, "elu"),
                new LayerSpec(10, "softplus"), new LayerSpec(3, "hard_linear", -2.0, 2.0));
        // The remaining activations and losses ride along: leaky_relu, sigmoid, threshold, linear, mae,
        // and softmax without cross-entropy (its full Jacobian backward).
        NetworkSpec regression = spec(6, "mae", new LayerSpec(12, "leaky_relu"), new LayerSpec(8, "sigmoid"),
                new LayerSpec(8, "threshold"), new LayerSpec(2, "linear"));
        NetworkSpec softmaxMse = spec(6, "mse", new LayerSpec(12, "tanh"), new LayerSpec(4, "softmax"));
        return switch (name) {
            case "lecture-sgd-momentum" -> new Rig(lecture, OptimizerSpec.sgd(0.1, 0.9, false), 0, 0, 10, 0, 0, ops);
            case "softmax-adam-partial" -> new Rig(softmax, OptimizerSpec.adam(1e-3), 0, 0, 32, 10, 7, ops);
            case "prelu-elu-softplus-hardlinear-rmsprop" -> new Rig(exotic, OptimizerSpec.defaults("rmsprop"), 0, 0, 16, 5, 3, ops);
            case "prelu-elu-softplus-hardlinear-rmsprop-momentum" ->
                    new Rig(exotic, OptimizerSpec.defaults("rmsprop").withMomentum(0.9), 0, 0, 16, 5, 3, ops);
            case "adagrad-l1-l2" -> new Rig(regression, OptimizerSpec.defaults("adagrad"), 1e-4, 1e-3, 16, 0, 0, ops);
            case "adamw-l1-l2" -> new Rig(softmaxMse, OptimizerSpec.defaults("adamw"), 1e-4, 1e-3, 16, 4, 5, ops);
            case "sgd-nesterov-l1-l2" -> new Rig(regression, OptimizerSpec.sgd(0.01, 0.9, true), 1e-4, 1e-3, 16, 0, 0, ops);
            // Large enough for the fast backend's kernels (64·256·256 multiply-adds per product) and
            // for splitting products between threads, the padded narrow output, and the transpose.
            case "wide-sgd-momentum" -> new Rig(spec(256, "categorical_crossentropy", new LayerSpec(256, "relu"),
                    new LayerSpec(10, "softmax")), OptimizerSpec.sgd(0.01, 0.9, false), 0, 0, 64, 10, 9, ops);
            // Batches of 192 rows of a 22,848-weight network run in three shards (ShardedStep); every
            // 10th batch has 128 rows, under the sharding threshold, and runs on the plain path.
            case "sharded-adam-partial" -> new Rig(spec(320, "categorical_crossentropy", new LayerSpec(64, "relu"),
                    new LayerSpec(32, "tanh"), new LayerSpec(10, "softmax")), OptimizerSpec.adam(1e-3), 0, 0, 192, 10, 128, ops);
            // Issue 12's training features: dropout on the inputs and both hidden layers, per-row loss
            // weights, clipping per array (plain path) and global clipping (sharded path).
            case "dropout-weights-clipnorm" -> new Rig(new NetworkSpec(64, List.of(new LayerSpec(32, "relu", null, null, 0.3),
                    new LayerSpec(32, "tanh", null, null, 0.2), new LayerSpec(10, "softmax")), "categorical_crossentropy",
                    "glorot_uniform", 3, 0.1), OptimizerSpec.adam(1e-3), 0, 1e-3, 32, 10, 7, ops).withFeatures(1.0, 0);
            case "sharded-dropout-weights-globalclip" -> new Rig(new NetworkSpec(320, List.of(new LayerSpec(64, "relu", null, null, 0.5),
                    new LayerSpec(32, "tanh", null, null, 0.25), new LayerSpec(10, "softmax")), "categorical_crossentropy",
                    "glorot_uniform", 3, 0.2), OptimizerSpec.adam(1e-3), 0, 0, 192, 10, 128, ops).withFeatures(0, 2.0);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static final List<String> RIGS = List.of("lecture-sgd-momentum", "softmax-adam-partial",
            "prelu-elu-softplus-hardlinear-rmsprop", "prelu-elu-softplus-hardlinear-rmsprop-momentum",
            "adagrad-l1-l2", "adamw-l1-l2", "sgd-nesterov-l1-l2", "wide-sgd-momentum", "sharded-adam-partial",
            "dropout-weights-clipnorm", "sharded-dropout-weights-globalclip");

    /**
     * Backends measured exactly in the C1-only child. The Vector API backend is not among them:
     * its vectors are objects that only C2 turns into registers, so under C1 every vector
     * operation allocates by design; it is measured in this JVM (C2), like the others.
     */
    static final List<String> C1_BACKENDS = List.of("ejml", "java");
    static final List<String> BACKENDS = List.of("ejml", "java", "auto");

    /** 1250 rows, 20% validation: 1000 training rows in 100 batches of 10, 250 validation rows in 25. */
    private static TrainingConfig fitConfig(int epochs) {
        return fitConfig(epochs, false);
    }

    /** With {@code features}: a reduce_on_plateau schedule, clipping and balanced class weights too (dropout is in the spec). */
    private static TrainingConfig fitConfig(int epochs, boolean features) {
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(epochs).batchSize(10).optimizer(OptimizerSpec.sgd(0.1, 0.9, false))
                .validationSplit(0.2).seed(11)
                .earlyStopping(new EarlyStopping("val_loss", 1_000_000, 0, true));
        if (features) {
            b.schedule(new LearningRateSchedule.ReduceOnPlateau("val_loss", 0.5, 1, 0, 1e-4, 1)).clipNorm(0.5)
                    .classWeights(ClassWeights.balanced());
        }
        return b.build();
    }

    /**
     * Trainer.fit as a whole, E and 2E epochs on the same data after a warm-up: answers the bytes
     * allocated by each, measurement cost removed, for up to {@code pairs} pairs (stopping when a
     * pair stays within the allowance).
     */
    static long[][] fitAllocations(int pairs) {
        return fitAllocations(pairs, false);
    }

    /** {@link #fitAllocations(int)}, with {@code features}: dropout, a schedule, clipping and class weights on. */
    static long[][] fitAllocations(int pairs, boolean features) {
        NetworkSpec spec = features
                ? new NetworkSpec(2, List.of(new LayerSpec(20, "relu", null, null, 0.3), new LayerSpec(1, "sigmoid")),
                        "binary_crossentropy", "glorot_uniform", 3, 0.1)
                : spec(2, "binary_crossentropy", new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid"));
        SyntheticData circles = Generators.circles(1250, 0.15, 0.3, 5);
        Examples data = new Examples(circles.x(), circles.target(), circles.rows(), 2, 1);
        TrainingConfig shortRun = fitConfig(EPOCHS, features);
        TrainingConfig longRun = fitConfig(2 * EPOCHS, features);
        Network[] networks = new Network[3 + pairs];
        for (int i = 0; i < networks.length; i++) {
            networks[i] = Network.create(spec);
        }
        for (int i = 0; i < 3; i++) {
            Trainer.fit(networks[i], data, longRun, TrainingListener.NONE);
        }
        long base = baseline();
        long[][] result = new long[pairs][];
        for (int pair = 0; pair < pairs; pair++) {
            Network network = networks[3 + pair];
            long before = allocatedBytes();
            TrainingResult first = Trainer.fit(network, data, shortRun, TrainingListener.NONE);
            long shortBytes = allocatedBytes() - before - base;
            before = allocatedBytes();
            TrainingResult second = Trainer.fit(network, data, longRun, TrainingListener.NONE);
            long longBytes = allocatedBytes() - before - base;
            if (first.history().size() != EPOCHS || second.history().size() != 2 * EPOCHS
                    || first.samplesTrained() != EPOCHS * 1000L) {
                throw new IllegalStateException("the fit runs did not train " + EPOCHS + " and " + 2 * EPOCHS + " full epochs");
            }
            result[pair] = new long[] {shortBytes, longBytes};
            if ((longBytes - shortBytes) / EPOCHS < EPOCH_ALLOWANCE) {
                return Arrays.copyOf(result, pair + 1);
            }
        }
        return result;
    }

    /**
     * The child JVM's entry point: every workload measured once, C1 only. Prints
     * {@code alloc <name> <bytes>} per workload and {@code fit <bytes E> <bytes 2E>}.
     */
    static final class C1Probe {
        public static void main(String[] args) {
            for (String name : RIGS) {
                for (String backend : C1_BACKENDS) {
                    long[] windows = rig(name + "@" + backend).allocatedByTrainingSteps(1);
                    System.out.println("alloc " + name + "@" + backend + " " + windows[0]);
                }
            }
            long[] fit = fitAllocations(1)[0];
            System.out.println("fit " + fit[0] + " " + fit[1]);
            long[] features = fitAllocations(1, true)[0];
            System.out.println("fitfeatures " + features[0] + " " + features[1]);
        }
    }

    private static synchronized Map<String, long[]> childResults() throws Exception {
        if (childResults != null) {
            return childResults;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TieredStopAtLevel=1",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), C1Probe.class.getName());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(process.exitValue()).as("child JVM exit code; output:%n%s", output).isZero();
        Map<String, long[]> results = new HashMap<>();
        for (String line : output.split("\\R")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("alloc") && f.length == 3) {
                results.put(f[1], new long[] {Long.parseLong(f[2])});
            } else if ((f[0].equals("fit") || f[0].equals("fitfeatures")) && f.length == 3) {
                results.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        assertThat(results).as("child JVM output:%n%s", output).containsKey(RIGS.get(0) + "@ejml").containsKey("fit");
        childResults = results;
        return results;
    }

    /** Exactly 0 bytes in the C1-only child, and a 0-byte window here (see the class comment). */
    private static void assertAllocatesNothing(String... names) throws Exception {
        Map<String, long[]> child = childResults();
        for (String base : names) {
            for (String backend : C1_BACKENDS) {
                String name = base + "@" + backend;
                assertThat(child.get(name)).as("%s measured in the C1-only JVM", name).isNotNull();
                assertThat(child.get(name)[0])
                        .as("%s: bytes allocated by 100 training steps in a C1-only JVM", name)
                        .isZero();
            }
            for (String backend : BACKENDS) {
                String name = base + "@" + backend;
                long[] windows = rig(name).allocatedByTrainingSteps(WINDOWS);
                assertThat(windows[windows.length - 1])
                        .as("%s: bytes allocated by 100 training steps in this JVM, per window measured: %s", name,
                                Arrays.toString(windows))
                        .isZero();
            }
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    void lectureNetworkWithSgdMomentumAllocatesNothing() throws Exception {
        assertAllocatesNothing("lecture-sgd-momentum");
    }

    @Test
    void softmaxClassifierWithAdamAndPartialBatchesAllocatesNothing() throws Exception {
        assertAllocatesNothing("softmax-adam-partial");
    }

    @Test
    void preluEluSoftplusHardLinearWithMseAndRmspropAllocateNothing() throws Exception {
        assertAllocatesNothing("prelu-elu-softplus-hardlinear-rmsprop", "prelu-elu-softplus-hardlinear-rmsprop-momentum");
    }

    @Test
    void wideNetworkOnTheFastBackendWithThreadsAllocatesNothing() throws Exception {
        assertAllocatesNothing("wide-sgd-momentum");
    }

    /** The caller's bytes and the product threads', which run shards and weight-gradient chunks. */
    @Test
    void largeBatchesInShardsOnTwoThreadsAllocateNothing() throws Exception {
        assertThat(rig("sharded-adam-partial@java").sharded).as("the java backend on 2 threads shards these batches").isNotNull();
        assertThat(rig("sharded-adam-partial@auto").sharded).isNotNull();
        assertAllocatesNothing("sharded-adam-partial");
    }

    @Test
    void adagradAndAdamwWithPenaltiesAllocateNothing() throws Exception {
        assertAllocatesNothing("adagrad-l1-l2", "adamw-l1-l2", "sgd-nesterov-l1-l2");
    }

    /** Dropout masks, per-row weights and clipping (per array on the plain path, global on the sharded one) on. */
    @Test
    void dropoutWeightsAndClippingAllocateNothing() throws Exception {
        assertThat(rig("sharded-dropout-weights-globalclip@java").sharded).isNotNull();
        assertAllocatesNothing("dropout-weights-clipnorm", "sharded-dropout-weights-globalclip");
    }

    /** Trainer.fit with dropout, a reduce_on_plateau schedule, clipping and balanced class weights: still nothing per mini-batch. */
    @Test
    void fitWithDropoutScheduleClippingAndClassWeightsAllocatesPerEpochOnlyItsRecord() throws Exception {
        long[] child = childResults().get("fitfeatures");
        assertThat((child[1] - child[0]) / EPOCHS)
                .as("C1-only JVM: fit of %d epochs allocated %d bytes, of %d epochs %d bytes; bytes per extra epoch",
                        EPOCHS, child[0], 2 * EPOCHS, child[1])
                .isLessThan(EPOCH_ALLOWANCE);
        long[][] pairs = fitAllocations(3, true);
        long[] last = pairs[pairs.length - 1];
        assertThat((last[1] - last[0]) / EPOCHS)
                .as("this JVM: bytes per pair: %s; bytes per extra epoch", Arrays.deepToString(pairs))
                .isLessThan(EPOCH_ALLOWANCE);
    }

    /**
     * Trainer.fit as a whole: its setup (split, scaled copies, optimizer state, weight copies) may
     * allocate, and each epoch may allocate its record (an EpochStats with boxed Doubles, a slot in
     * the history list, the final List.copyOf), but nothing may be allocated per mini-batch. Fitting
     * E and 2E epochs on the same data has the same setup, so the difference divided by E is the
     * cost of one epoch; it must stay below {@link #EPOCH_ALLOWANCE} (see there for the bound).
     * Checked in the C1-only child (exact) and here (up to three pairs; a one-time JVM event is in
     * one pair, a per-batch allocation in all).
     */
    @Test
    void fitAllocatesPerEpochOnlyItsRecord() throws Exception {
        long[] child = childResults().get("fit");
        assertThat((child[1] - child[0]) / EPOCHS)
                .as("C1-only JVM: fit of %d epochs allocated %d bytes, of %d epochs %d bytes; bytes per extra epoch",
                        EPOCHS, child[0], 2 * EPOCHS, child[1])
                .isLessThan(EPOCH_ALLOWANCE);

        long[][] pairs = fitAllocations(3);
        long[] last = pairs[pairs.length - 1];
        assertThat((last[1] - last[0]) / EPOCHS)
                .as("this JVM: bytes of fit(%d epochs), fit(%d epochs) per pair: %s; bytes per extra epoch", EPOCHS,
                        2 * EPOCHS, Arrays.deepToString(pairs))
                .isLessThan(EPOCH_ALLOWANCE);
    }
}
