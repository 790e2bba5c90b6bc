package org.mlpservice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.mlpservice.dataset.Generators;
import org.mlpservice.dataset.SyntheticData;
import org.mlpservice.engine.Evaluation;
import org.mlpservice.engine.Examples;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkSpec;
import org.mlpservice.engine.OptimizerSpec;
import org.mlpservice.engine.StopReason;
import org.mlpservice.engine.Trainer;
import org.mlpservice.engine.TrainingConfig;
import org.mlpservice.engine.TrainingListener;
import org.mlpservice.engine.TrainingResult;

/**
 * The engine benchmarks of issue 2 (workloads W1–W3, predictions P) and of issue 17 (K: the kernel on
 * W3's products beside one core's peak, {@link KernelBenchmark}), run by {@code ./mvnw -B -q -Pbench -DskipTests verify}.
 *
 * <p>Each workload prints one line, {@code workload=W samples_per_s=N epochs=E metric=M backend=B}
 * followed by extra {@code key=value} fields. Only the engine's training loop is timed: the data is
 * in memory before {@link Trainer#fit} starts, and the figure is {@link TrainingResult#samplesPerSecond()},
 * which the engine measures over its own mini-batch loop (shuffle, gather, forward, loss, backward,
 * update, running metrics; not the scaling copies made before the first epoch). Before the timed
 * runs the JIT is warmed by untimed fits: for W1 and W2, full fits until at least
 * {@value #WARMUP_SECONDS} seconds have passed (and at least 10 and 4 fits: W1's 100 epochs take
 * milliseconds, and ten of them left C2 short of the steady state, 2.1M samples/s where the same
 * fits reach 3.0M after two seconds); for W3 four epochs (C2 reaches the whole sharded step after about 600
 * mini-batches). The timed fit is then repeated on fresh networks
 * ({@code reps}: 9, 5 and 5) and the median reported (min and max beside it).
 *
 * <p>Arguments: the project base directory (for {@code digits.csv}); optionally a comma-separated
 * subset of workloads as a second argument or as {@code -Dbench.workloads=W1,W3} (the Maven
 * profile passes that property through).
 */
public final class EngineBenchmark {

    private static final long SEED = 0;
    private static final int W1_REPS = 9;
    private static final int W1_WARMUP_FITS = 10;
    private static final int W2_REPS = 5;
    /** W1's and W2's warm-up lasts at least this long. */
    private static final int WARMUP_SECONDS = 2;
    private static final int W2_WARMUP_FITS = 4;
    private static final int W3_REPS = 5;
    /** W3's untimed warm-up: C2 reaches the whole step (both phases of the sharded step) after about 600 mini-batches. */
    private static final int W3_WARMUP_EPOCHS = 4;

    private EngineBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long started = System.nanoTime();
        Path basedir = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Set<String> workloads = selected(args.length > 1 ? args[1] : System.getProperty("bench.workloads"));
        int threads = Integer.getInteger("bench.threads", 0);
        if (threads <= 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        String backends = System.getProperty("bench.backend", "auto");

        Double w3Gflops = null;
        Double kernelGflops = null;
        MatrixOps ops = null;
        KernelBenchmark.describeMachine(MatrixOps.select(backends.split(",")[0].trim(), 1));
        for (String backend : backends.split(",")) {
            ops = MatrixOps.select(backend.trim(), threads);
            MatrixOps.setDefault(ops); // predict and Evaluation run on it too
            System.out.println(fields("backend", ops.name(), "requested", backend.trim(),
                    "detail", ops.describe().toString().replace(", ", ";"),
                    "vector_available", Boolean.toString(MatrixOps.vectorAvailable())));
            if (workloads.contains("W1")) {
                lecture(ops);
            }
            if (workloads.contains("W2")) {
                digits(ops, basedir);
            }
            if (workloads.contains("W3")) {
                w3Gflops = throughput(ops);
            }
            if (workloads.contains("P")) {
                prediction(ops);
            }
            if (workloads.contains("K")) {
                kernelGflops = KernelBenchmark.run();
            }
            if (workloads.contains("B")) {
                OpenBlasComparison.run();
            }
        }
        Runtime rt = Runtime.getRuntime();
        System.out.println(fields(
                "summary", "engine",
                "w3_gflops", w3Gflops == null ? "n/a" : String.format(Locale.ROOT, "%.2f", w3Gflops),
                "kernel_gflops", kernelGflops == null ? "n/a" : String.format(Locale.ROOT, "%.1f", kernelGflops),
                "jvm", Runtime.version().toString(),
                "vm", System.getProperty("java.vm.name"),
                "vendor", System.getProperty("java.vm.vendor"),
                "os", System.getProperty("os.name") + "-" + System.getProperty("os.arch"),
                "cores", Integer.toString(rt.availableProcessors()),
                "max_heap_mb", Long.toString(rt.maxMemory() >> 20),
                "backend", ops.name(),
                "total_s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9)));
    }

    /** Runs untimed fits until at least {@code minFits} have run and {@value #WARMUP_SECONDS} seconds have passed; answers how many. */
    private static int warmUp(int minFits, Runnable fit) {
        long until = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        int fits = 0;
        while (fits < minFits || System.nanoTime() < until) {
            fit.run();
            fits++;
        }
        return fits;
    }

    /** W1, the lecture: make_circles(100, noise 0.15, factor 0.3), 2-20(relu)-1(sigmoid), SGD 0.1 momentum 0.9, batch 10. */
    private static void lecture(MatrixOps ops) {
        SyntheticData circles = Generators.circles(100, 0.15, 0.3, SEED);
        Examples data = new Examples(circles.x(), circles.target(), circles.rows(), circles.features(), 1);
        NetworkSpec spec = new NetworkSpec(2, List.of(new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 1);
        int epochs = 100;
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(10)
                .optimizer(OptimizerSpec.sgd(0.1, 0.9, false)).standardize(false).seed(1).ops(ops).build();

        // Warm-up: untimed full fits on copies. One epoch here is 10 mini-batches, far too few for C2
        // to compile the per-batch code; 10 fits (10,000 mini-batches, tens of milliseconds) did not
        // reach the steady state either, hence at least WARMUP_SECONDS of fits.
        int warmupFits = warmUp(W1_WARMUP_FITS, () -> Trainer.fit(Network.create(spec).copy(), data, config, TrainingListener.NONE));

        double[] rates = new double[W1_REPS];
        long[] nanos = new long[W1_REPS];
        Network network = null;
        TrainingResult result = null;
        for (int rep = 0; rep < W1_REPS; rep++) {
            network = Network.create(spec); // the same seed: every repetition trains identically
            result = Trainer.fit(network, data, config, TrainingListener.NONE);
            rates[rep] = result.samplesPerSecond();
            nanos[rep] = result.trainingNanos();
        }
        double accuracy = Evaluation.of(network, data).accuracy();
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        long[] sortedNanos = nanos.clone();
        Arrays.sort(sortedNanos);
        report("W1", sorted[W1_REPS / 2], epochs, String.format(Locale.ROOT, "%.4f", accuracy), ops, result,
                "metric_name", "train_accuracy",
                "reps", Integer.toString(W1_REPS),
                "min_samples_per_s", Long.toString(Math.round(sorted[0])),
                "max_samples_per_s", Long.toString(Math.round(sorted[W1_REPS - 1])),
                "ms_per_epoch", String.format(Locale.ROOT, "%.4f", sortedNanos[W1_REPS / 2] / 1e6 / epochs),
                "warmup_epochs", Integer.toString(warmupFits * epochs),
                "params", Long.toString(network.parameterCount()),
                "gflops", gflops(network.parameterCount(), sorted[W1_REPS / 2]));
    }

    /** W2, digits: 80/20 split (seed 0), pixels / 16, 64-128(relu)-64(relu)-10(softmax), Adam 1e-3, batch 32. */
    /** W2's data (digits.csv split 80/20), network and training, on {@code ops}: for this benchmark and {@link BuildComparison}. */
    record Digits(Path file, Examples train, Examples test, NetworkSpec spec, TrainingConfig config) {
    }

    static Digits digitsWorkload(MatrixOps ops, Path basedir) throws IOException {
        Path file = basedir.resolve("src/test/resources/data/digits.csv");
        if (!Files.isRegularFile(file)) {
            file = basedir.resolve("../shared/data/digits.csv").normalize();
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("digits.csv not found under " + basedir + "/src/test/resources/data or "
                    + basedir.resolve("../shared/data").normalize() + "; run with -Dbench.workloads=W1,W3 to skip W2");
        }
        Examples[] split = split(readDigits(file), 0.2, new Random(SEED));
        NetworkSpec spec = new NetworkSpec(64, List.of(new LayerSpec(128, "relu"), new LayerSpec(64, "relu"),
                new LayerSpec(10, "softmax")), "categorical_crossentropy", "glorot_uniform", 1);
        TrainingConfig config = TrainingConfig.builder().batchSize(32).optimizer(OptimizerSpec.adam(1e-3))
                .standardize(false).seed(1).ops(ops).epochs(50).build();
        return new Digits(file, split[0], split[1], spec, config);
    }

    private static void digits(MatrixOps ops, Path basedir) throws IOException {
        Digits w2 = digitsWorkload(ops, basedir);
        Path file = w2.file();
        Examples train = w2.train();
        Examples test = w2.test();
        NetworkSpec spec = w2.spec();
        TrainingConfig trainConfig = w2.config();
        int epochs = trainConfig.epochs();

        // Warm-up: untimed full fits. A 50-epoch fit takes a few hundred milliseconds once compiled,
        // less than C2 needs to compile the loop's methods (the Vector API kernels run slow until it
        // has): timing the first fit after one warm-up epoch measured the compiler, at 25-200k
        // samples/s for a loop that runs at 400k+.
        int warmupFits = warmUp(W2_WARMUP_FITS, () -> Trainer.fit(Network.create(spec), train, trainConfig, TrainingListener.NONE));
        double[] rates = new double[W2_REPS];
        Network network = null;
        TrainingResult result = null;
        for (int rep = 0; rep < W2_REPS; rep++) {
            network = Network.create(spec); // the same seed: every repetition trains identically
            result = Trainer.fit(network, train, trainConfig, TrainingListener.NONE);
            rates[rep] = result.samplesPerSecond();
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[W2_REPS / 2];

        double accuracy = Evaluation.of(network, test).accuracy();
        report("W2", median, epochs, String.format(Locale.ROOT, "%.4f", accuracy), ops, result,
                "metric_name", "test_accuracy",
                "data", basedir.relativize(file.toAbsolutePath().normalize()).toString(),
                "train_rows", Integer.toString(train.rows()),
                "test_rows", Integer.toString(test.rows()),
                "reps", Integer.toString(W2_REPS),
                "min_samples_per_s", Long.toString(Math.round(sorted[0])),
                "max_samples_per_s", Long.toString(Math.round(sorted[W2_REPS - 1])),
                "ms_per_epoch", String.format(Locale.ROOT, "%.3f", train.rows() / median * 1e3),
                "warmup_epochs", Integer.toString(warmupFits * epochs),
                "params", Long.toString(network.parameterCount()),
                "gflops", gflops(network.parameterCount(), median));
    }

    private static final int W3_ROWS = 20_000;
    private static final NetworkSpec W3_SPEC = new NetworkSpec(784, List.of(new LayerSpec(256, "relu"),
            new LayerSpec(128, "relu"), new LayerSpec(10, "softmax")), "categorical_crossentropy", "glorot_uniform", 1);

    /** W3's data: 20,000 x 784 normal inputs, 10 random classes (one-hot). */
    private static Examples w3Data() {
        int features = W3_SPEC.inputs();
        int classes = W3_SPEC.outputs();
        Random random = new Random(SEED);
        float[] x = new float[W3_ROWS * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] y = new float[W3_ROWS * classes];
        for (int r = 0; r < W3_ROWS; r++) {
            y[r * classes + random.nextInt(classes)] = 1f;
        }
        return new Examples(x, y, W3_ROWS, features, classes);
    }

    private static TrainingConfig.Builder w3Config(MatrixOps ops) {
        return TrainingConfig.builder().batchSize(128).optimizer(OptimizerSpec.sgd(0.01, 0.9, false))
                .standardize(false).seed(1).ops(ops);
    }

    /** W3, throughput: 20,000 x 784 normal inputs, 10 random classes, 784-256(relu)-128(relu)-10(softmax), SGD 0.01 momentum 0.9, batch 128. */
    private static double throughput(MatrixOps ops) {
        int rows = W3_ROWS;
        Examples data = w3Data();
        NetworkSpec spec = W3_SPEC;
        int epochs = 2;
        TrainingConfig.Builder config = w3Config(ops);

        Trainer.fit(Network.create(spec), data, config.epochs(W3_WARMUP_EPOCHS).build(), TrainingListener.NONE);
        // Repeated on fresh networks (the same seed: identical training) and the median reported:
        // one 2-epoch fit lasts under a second here, short against the noise of a shared machine.
        double[] rates = new double[W3_REPS];
        double[] cpuRates = new double[W3_REPS];
        Network network = null;
        TrainingResult result = null;
        for (int rep = 0; rep < W3_REPS; rep++) {
            network = Network.create(spec);
            long cpu0 = CpuClock.now();
            result = Trainer.fit(network, data, config.epochs(epochs).build(), TrainingListener.NONE);
            // Samples per second of this thread's CPU time: on one thread, the rate a busy machine
            // does not disturb (the fit's copies before its first epoch are counted too).
            cpuRates[rep] = (double) rows * epochs / ((CpuClock.now() - cpu0) / 1e9);
            rates[rep] = result.samplesPerSecond();
        }
        Arrays.sort(cpuRates);
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double rate = sorted[W3_REPS / 2];
        double gflops = productFlops(network) * rate / 1e9;
        report("W3", rate, epochs, "none", ops, result,
                "reps", Integer.toString(W3_REPS),
                "min_samples_per_s", Long.toString(Math.round(sorted[0])),
                "max_samples_per_s", Long.toString(Math.round(sorted[W3_REPS - 1])),
                "ms_per_epoch", String.format(Locale.ROOT, "%.1f", rows / rate * 1e3),
                "ms_per_batch", String.format(Locale.ROOT, "%.3f", 128 / rate * 1e3),
                "warmup_epochs", Integer.toString(W3_WARMUP_EPOCHS),
                "params", Long.toString(network.parameterCount()),
                "threads", Integer.toString(ops.threads()),
                "cpu_samples_per_s", ops.threads() == 1 ? Long.toString(Math.round(cpuRates[W3_REPS / 2])) : "n/a",
                "gflops", String.format(Locale.ROOT, "%.2f", gflops),
                "gflops_6n", String.format(Locale.ROOT, "%.2f", 6.0 * network.parameterCount() * rate / 1e9));
        return gflops;
    }

    /**
     * Flops of the matrix products per training sample, counted exactly: per layer 2·in·out for
     * the forward product, 2·in·out for the weight gradient, and 2·in·out for the input gradient
     * except at the first layer, which needs none. (6 × parameters over-counts that first layer.)
     */
    private static double productFlops(Network network) {
        double flops = 0;
        int in = network.inputs();
        List<LayerSpec> layers = network.spec().layers();
        for (int i = 0; i < layers.size(); i++) {
            int out = layers.get(i).units();
            flops += (i == 0 ? 4.0 : 6.0) * in * out;
            in = out;
        }
        return flops;
    }

    /**
     * P, single-row prediction through {@link Network#predict}: the 2-20-1 lecture network and
     * 784-256-128-10, median and 99th percentile of many calls after a warm-up. Each call is timed
     * on its own with System.nanoTime (about 20 ns of its own cost). Measured twice: alone
     * ({@code training=none}), and while a W3 training job runs on the same backend
     * ({@code training=W3}), which occupies every core: a prediction request then competes with it.
     */
    private static void prediction(MatrixOps ops) {
        NetworkSpec lecture = new NetworkSpec(2, List.of(new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 1);
        predictionLine("2-20-1", lecture, 200_000, ops, "none");
        predictionLine("784-256-128-10", W3_SPEC, 20_000, ops, "none");
        duringTraining(ops, () -> {
            predictionLine("2-20-1", lecture, 200_000, ops, "W3");
            predictionLine("784-256-128-10", W3_SPEC, 20_000, ops, "W3");
        });
    }

    /**
     * Runs {@code work} while a W3 training job runs on the same backend in another thread (its
     * products on all of the backend's threads), as a prediction request meets a training job in
     * the service; prints the training's own throughput meanwhile.
     */
    private static void duringTraining(MatrixOps ops, Runnable work) {
        Examples data = w3Data();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        TrainingResult[] result = new TrainingResult[1];
        Thread trainer = new Thread(() -> result[0] = Trainer.fit(Network.create(W3_SPEC), data,
                w3Config(ops).epochs(10_000).build(), new TrainingListener() {
                    @Override
                    public boolean stopRequested() {
                        return stop.get();
                    }
                }), "bench-training");
        trainer.start();
        try {
            Thread.sleep(1_000); // the training's JIT warm-up
            work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stop.set(true);
            try {
                trainer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (result[0] != null) {
            System.out.println(fields("workload", "W3-beside-P", "samples_per_s", Long.toString(Math.round(result[0].samplesPerSecond())),
                    "backend", ops.name(), "stop", result[0].stopReason().name().toLowerCase(Locale.ROOT)));
        }
    }

    private static void predictionLine(String name, NetworkSpec spec, int calls, MatrixOps ops, String training) {
        Network network = Network.create(spec);
        Random random = new Random(SEED);
        float[][] rows = new float[64][spec.inputs()];
        for (float[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        double sink = 0;
        for (int i = 0; i < calls; i++) {
            sink += network.predict(rows[i & 63], 1)[0];
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            float[] y = network.predict(rows[i & 63], 1);
            nanos[i] = System.nanoTime() - t0;
            sink += y[0];
        }
        Arrays.sort(nanos);
        System.out.println(fields("workload", "P", "network", name, "backend", ops.name(), "training", training,
                "median_us", String.format(Locale.ROOT, "%.2f", nanos[calls / 2] / 1e3),
                "p99_us", String.format(Locale.ROOT, "%.2f", nanos[(int) (calls * 0.99)] / 1e3),
                "calls", Integer.toString(calls), "warmup_calls", Integer.toString(calls),
                "check", sink == 0 ? "0" : "ok"));
    }

    /** GFLOP/s by the usual estimate: forward + backward ≈ 6 flops per parameter per sample. */
    private static String gflops(long params, double samplesPerSecond) {
        return String.format(Locale.ROOT, "%.3f", 6.0 * params * samplesPerSecond / 1e9);
    }

    private static void report(String workload, double samplesPerSecond, int epochs, String metric, MatrixOps ops,
                               TrainingResult result, String... extra) {
        List<String> kv = new ArrayList<>(List.of(
                "workload", workload,
                "samples_per_s", Long.toString(Math.round(samplesPerSecond)),
                "epochs", Integer.toString(epochs),
                "metric", metric,
                "backend", ops.name()));
        kv.addAll(List.of(extra));
        if (result.stopReason() != StopReason.COMPLETED) {
            kv.add("stop");
            kv.add(result.stopReason().name().toLowerCase(Locale.ROOT));
        }
        System.out.println(fields(kv.toArray(String[]::new)));
    }

    /** key=value pairs joined by spaces; spaces inside a value become underscores. */
    static String fields(String... kv) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                line.append(' ');
            }
            line.append(kv[i]).append('=').append(kv[i + 1].replace(' ', '_'));
        }
        return line.toString();
    }

    private static Set<String> selected(String list) {
        Set<String> all = new LinkedHashSet<>(List.of("W1", "W2", "W3", "P", "K"));
        if (list == null || list.isBlank() || list.equalsIgnoreCase("all")) {
            return all;
        }
        all.add("B"); // only when asked for: OpenBLAS's native library (bench profile) against the kernel
        Set<String> chosen = new LinkedHashSet<>();
        for (String w : list.split(",")) {
            String key = w.trim().toUpperCase(Locale.ROOT);
            if (!all.contains(key)) {
                throw new IllegalArgumentException("unknown workload '" + w + "', expected some of " + all);
            }
            chosen.add(key);
        }
        return chosen;
    }

    /** digits.csv: a header, 64 pixel columns (0..16) and the label column {@code digit} (0..9), last. */
    static Examples readDigits(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",");
        int label = header.length - 1;
        for (int c = 0; c < header.length; c++) {
            if (header[c].trim().equals("digit")) {
                label = c;
            }
        }
        int features = header.length - 1;
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(line);
            }
        }
        float[] x = new float[rows.size() * features];
        float[] y = new float[rows.size() * 10];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r).split(",");
            if (cells.length != header.length) {
                throw new IOException(file + ": row " + (r + 2) + " has " + cells.length + " cells, the header " + header.length);
            }
            int f = 0;
            for (int c = 0; c < cells.length; c++) {
                if (c == label) {
                    y[r * 10 + Integer.parseInt(cells[c].trim())] = 1f;
                } else {
                    x[r * features + f++] = Float.parseFloat(cells[c].trim()) / 16f;
                }
            }
        }
        return new Examples(x, y, rows.size(), features, 10);
    }

    /**
     * A seeded shuffle split: the first part trains, the last {@code testFraction} (rounded up, as
     * scikit-learn's train_test_split does) tests.
     */
    static Examples[] split(Examples data, double testFraction, Random random) {
        int n = data.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int nTest = (int) Math.ceil(n * testFraction);
        return new Examples[] {
                data.select(Arrays.copyOfRange(order, 0, n - nTest)),
                data.select(Arrays.copyOfRange(order, n - nTest, n))};
    }
}
