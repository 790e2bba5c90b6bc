package org.mlpservice.bench;

import java.util.Locale;
import java.util.Random;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.mlpservice.engine.MatrixOps;

/**
 * Workload B: issue 17's products-only comparison. W3's products ({@link KernelBenchmark#W3_SHAPES},
 * a shard of 64 rows) on one thread, by the engine's kernel and by OpenBLAS's {@code cblas_sgemm}
 * (bytedeco's build, DYNAMIC_ARCH: it picks its kernels for the CPU at start-up, and prints which
 * with {@code OPENBLAS_VERBOSE=2}; {@code OPENBLAS_CORETYPE=Haswell} makes it take the AVX2 ones),
 * in the same JVM, shape by shape, alternating the two, medians of CPU time. OpenBLAS gets its
 * operands in native memory and each stacked gradient as one product over its 128 rows, so the figure
 * is its kernel's alone, with no copy across JNI: the most it could give an optional backend.
 *
 * <p>{@code ./mvnw -B -q -Pbench -DskipTests verify -Dbench.workloads=B}
 */
final class OpenBlasComparison {

    private static final int ROUNDS = 3;

    private OpenBlasComparison() {
    }

    static void run() {
        openblas.blas_set_num_threads(1);
        MatrixOps ops = MatrixOps.select("auto", 1);
        System.out.println(EngineBenchmark.fields("workload", "B-library", "openblas", "bytedeco",
                "threads", Integer.toString(openblas.blas_get_num_threads()),
                "engine", ops.name(), "engine_tile", String.valueOf(ops.describe().get("tile"))));
        double engineNanos = 0;
        double blasNanos = 0;
        for (KernelBenchmark.Shape shape : KernelBenchmark.W3_SHAPES) {
            Runnable engine = KernelBenchmark.call(shape, ops);
            Runnable blas = sgemm(shape);
            long until = System.nanoTime() + 500_000_000L; // warm both up, C2 and OpenBLAS's buffers
            while (System.nanoTime() < until) {
                engine.run();
                blas.run();
            }
            double[] e = new double[ROUNDS];
            double[] b = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                e[r] = KernelBenchmark.median(engine);
                b[r] = KernelBenchmark.median(blas);
            }
            java.util.Arrays.sort(e);
            java.util.Arrays.sort(b);
            double en = e[ROUNDS / 2];
            double bn = b[ROUNDS / 2];
            engineNanos += en;
            blasNanos += bn;
            System.out.println(EngineBenchmark.fields("workload", "B", "shape", shape.name(), "kind", shape.kind().name().toLowerCase(Locale.ROOT),
                    "engine_gflops", String.format(Locale.ROOT, "%.1f", shape.flops() / en),
                    "openblas_gflops", String.format(Locale.ROOT, "%.1f", shape.flops() / bn),
                    "openblas_over_engine", String.format(Locale.ROOT, "%.2f", en / bn)));
        }
        double flops = KernelBenchmark.W3_SHAPES.stream().mapToDouble(KernelBenchmark.Shape::flops).sum();
        System.out.println(EngineBenchmark.fields("workload", "B-step", "threads", "1",
                "engine_gflops", String.format(Locale.ROOT, "%.1f", flops / engineNanos),
                "openblas_gflops", String.format(Locale.ROOT, "%.1f", flops / blasNanos),
                "openblas_over_engine", String.format(Locale.ROOT, "%.2f", engineNanos / blasNanos)));
    }

    /** The shape's product on OpenBLAS, row-major, on operands of random normal values in native memory. */
    private static Runnable sgemm(KernelBenchmark.Shape s) {
        Random random = new Random(7);
        int m = s.m();
        int n = s.n();
        int k = s.k();
        FloatPointer a = filled(m * k, random);
        FloatPointer b = filled(k * n, random);
        FloatPointer c = new FloatPointer((long) m * n);
        int rowMajor = openblas.CblasRowMajor;
        int no = openblas.CblasNoTrans;
        int t = openblas.CblasTrans;
        return switch (s.kind()) {
            // c (m, n) = a (m, k)·b (k, n)
            case MULT -> () -> openblas.cblas_sgemm(rowMajor, no, no, m, n, k, 1f, a, k, b, n, 0f, c, n);
            // c = a (m, k)·bᵀ, b (n, k)
            case TRANS_B -> () -> openblas.cblas_sgemm(rowMajor, no, t, m, n, k, 1f, a, k, b, k, 0f, c, n);
            // c = xᵀ·d, x (k, m) and d (k, n): the two shards' rows as one product
            case STACKED -> () -> openblas.cblas_sgemm(rowMajor, t, no, m, n, k, 1f, a, m, b, n, 0f, c, n);
        };
    }

    private static FloatPointer filled(int size, Random random) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new FloatPointer(values);
    }
}
