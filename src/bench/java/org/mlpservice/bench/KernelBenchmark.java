package org.mlpservice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.mlpservice.engine.MatrixOps;

/**
 * Workload K of the engine benchmark: the products of one W3 step (784-256-128-10, a shard of 64
 * rows, as {@code ShardedStep} runs them on each core) on one thread, in GFLOP/s, next to the fp32
 * peak of one core at the vector length the JVM reports. Also what the figures were measured on:
 * the CPU model, its vector flags, the JVM's flags, the vector length and the tile the kernel chose.
 *
 * <p>Times are the calling thread's CPU time ({@link CpuClock}), not the wall clock: on a machine
 * shared with other work the thread is descheduled now and then, and wall time counted those
 * pauses as the kernel's (runs disagreed by 2×); CPU time counts only the time it ran.
 *
 * <p>The peak is measured, not looked up: a loop of independent fused multiply-adds at the preferred
 * vector length (12 chains, more than latency × issue width on current x86 cores), which is what
 * one core reaches when it does nothing else; it is printed with the clock it implies at two FMA
 * pipes per core ({@code ghz_at_2_fma}), so that a figure far from a machine's known clock shows.
 */
final class KernelBenchmark {

    /** W3's products per shard of 64 rows: name, kind, m, k, n (see each {@link Shape}). */
    static final List<Shape> W3_SHAPES = List.of(
            new Shape("fwd1", Kind.MULT, 64, 784, 256),
            new Shape("fwd2", Kind.MULT, 64, 256, 128),
            new Shape("fwd3", Kind.MULT, 64, 128, 10),
            new Shape("dx3", Kind.TRANS_B, 64, 10, 128),
            new Shape("dx2", Kind.TRANS_B, 64, 128, 256),
            new Shape("dW1", Kind.STACKED, 784, 128, 256),
            new Shape("dW2", Kind.STACKED, 256, 128, 128),
            new Shape("dW3", Kind.STACKED, 128, 128, 10));
    private static final int REPS = 7;
    private static final long TARGET_NANOS = 60_000_000;

    private KernelBenchmark() {
    }

    enum Kind { MULT, TRANS_B, STACKED }

    /**
     * A product c (m, n) with inner dimension k: MULT a (m, k)·b (k, n); TRANS_B a (m, k)·bᵀ, b (n, k);
     * STACKED cᵀ = Σ over two shards of 64 rows x_sᵀ·d_s, x_s (64, m), d_s (64, n), k = 128.
     */
    record Shape(String name, Kind kind, int m, int k, int n) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    /** Prints what the machine and the JVM are: CPU model, vector flags, JVM flags, species and tile. */
    static void describeMachine(MatrixOps ops) {
        System.out.println(EngineBenchmark.fields("machine", "cpu",
                "model", cpuField("model name"),
                "cpu_flags", String.join(",", vectorFlags()),
                "jvm_flags", String.join(",", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                "cores", Integer.toString(Runtime.getRuntime().availableProcessors()),
                "kernel", ops.describe().toString().replace(", ", ";")));
    }

    /** Workload K: the peak, then each shape's GFLOP/s on one thread and the step's weighted total. */
    static double run() {
        MatrixOps ops = MatrixOps.select("auto", 1);
        int lanes = ops.describe().get("lanes") instanceof Integer l ? l : 1;
        double peak = FmaPeak.measure();
        System.out.println(EngineBenchmark.fields("workload", "K-peak",
                "peak_gflops", String.format(Locale.ROOT, "%.1f", peak),
                "lanes", Integer.toString(lanes),
                "ghz_at_2_fma", String.format(Locale.ROOT, "%.2f", peak / (lanes * 2 * 2.0)),
                "basis", "12_independent_fma_chains_at_the_preferred_species_one_thread", "clock", CpuClock.basis()));
        String only = System.getProperty("bench.shapes", "");
        List<Shape> shapes = W3_SHAPES.stream()
                .filter(shape -> only.isBlank() || List.of(only.split(",")).contains(shape.name())).toList();
        List<Runnable> calls = shapes.stream().map(shape -> call(shape, ops)).toList();
        // Warm-up: all shapes in turn, as a training step calls them, until C2 has compiled the
        // kernel with all of them in its profile. Warmed one shape after another, the kernel was
        // compiled for the first shapes, deoptimized by the next ones, and measured 10-15 % slower
        // than in training.
        long until = System.nanoTime() + 1_500_000_000L;
        for (int round = 0; System.nanoTime() < until || round < 2_000; round++) {
            for (Runnable call : calls) {
                call.run();
            }
        }
        double flops = 0;
        double nanos = 0;
        for (int s = 0; s < shapes.size(); s++) {
            Shape shape = shapes.get(s);
            double perCall = median(calls.get(s));
            flops += shape.flops();
            nanos += perCall;
            System.out.println(EngineBenchmark.fields("workload", "K", "shape", shape.name(), "kind", shape.kind().name().toLowerCase(Locale.ROOT),
                    "m", Integer.toString(shape.m()), "k", Integer.toString(shape.k()), "n", Integer.toString(shape.n()),
                    "us", String.format(Locale.ROOT, "%.2f", perCall / 1e3),
                    "gflops", String.format(Locale.ROOT, "%.1f", shape.flops() / perCall),
                    "of_peak", String.format(Locale.ROOT, "%.2f", shape.flops() / perCall / peak)));
        }
        double total = flops / nanos;
        System.out.println(EngineBenchmark.fields("workload", "K-step", "backend", ops.name(), "threads", "1",
                "gflops", String.format(Locale.ROOT, "%.1f", total),
                "peak_gflops", String.format(Locale.ROOT, "%.1f", peak),
                "of_peak", String.format(Locale.ROOT, "%.2f", total / peak),
                "us_per_shard_step", String.format(Locale.ROOT, "%.1f", nanos / 1e3)));
        return total;
    }

    /** One call of {@code shape}'s product on {@code ops}, on operands of random normal values. */
    static Runnable call(Shape shape, MatrixOps ops) {
        Random random = new Random(7);
        FMatrixRMaj c = new FMatrixRMaj(shape.m(), shape.n());
        switch (shape.kind()) {
            case MULT -> {
                FMatrixRMaj a = filled(shape.m(), shape.k(), random);
                FMatrixRMaj b = filled(shape.k(), shape.n(), random);
                return () -> ops.mult(a, b, c);
            }
            case TRANS_B -> {
                FMatrixRMaj a = filled(shape.m(), shape.k(), random);
                FMatrixRMaj b = filled(shape.n(), shape.k(), random);
                return () -> ops.multTransB(a, b, c);
            }
            default -> {
                FMatrixRMaj[] x = {filled(64, shape.m(), random), filled(64, shape.m(), random)};
                FMatrixRMaj[] d = {filled(64, shape.n(), random), filled(64, shape.n(), random)};
                return () -> ops.multTransAStacked(x, d, 2, c, 0, shape.m());
            }
        }
    }

    /** Median CPU nanoseconds per call, over {@value #REPS} timed runs of about 60 ms each. */
    static double median(Runnable call) {
        long t0 = CpuClock.now();
        call.run();
        long one = Math.max(1, CpuClock.now() - t0);
        int perRep = (int) Math.max(10, TARGET_NANOS / one);
        double[] perCall = new double[REPS];
        for (int r = 0; r < REPS; r++) {
            long start = CpuClock.now();
            for (int i = 0; i < perRep; i++) {
                call.run();
            }
            perCall[r] = (double) (CpuClock.now() - start) / perRep;
        }
        Arrays.sort(perCall);
        return perCall[REPS / 2];
    }

    private static FMatrixRMaj filled(int rows, int cols, Random random) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (float) random.nextGaussian();
        }
        return m;
    }

    private static String cpuField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return System.getProperty("os.arch");
    }

    private static List<String> vectorFlags() {
        List<String> wanted = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl", "asimd", "sve");
        List<String> flags = Arrays.asList((cpuField("flags") + " " + cpuField("Features")).split("\\s+"));
        return wanted.stream().filter(flags::contains).toList();
    }
}
