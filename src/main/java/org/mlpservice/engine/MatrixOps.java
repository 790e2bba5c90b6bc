package org.mlpservice.engine;

import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.mlpservice.engine.kernel.Backends;

/**
 * What the engine's math asks of a matrix backend: the three products of a dense layer's forward
 * and backward pass, the sum of a batch's rows (a bias's gradient), and the few ways the training
 * step uses the backend's threads. The one door
 * between the math ({@code org.mlpservice.engine}) and the kernels ({@code engine.kernel}, which
 * implement it): the layers, optimizers and the training loop never know which backend runs them.
 * Implementations reshape {@code c} (which must have the capacity) and never allocate once warmed up.
 *
 * <p>Only the three products are required; the other methods have plain single-threaded defaults,
 * which a backend with threads or vectors overrides with the same results.
 *
 * <p>Backends ({@link #select}): {@code vector}, a hand-written Vector API kernel (needs the JVM
 * flag {@code --add-modules=jdk.incubator.vector}); {@code java}, plain loops that need no flag;
 * {@code ejml}, EJML's {@code CommonOps_FDRM}, the reference that always works. {@code vector} and
 * {@code java} give bit-identical results whatever their thread count; EJML sums in another order
 * and agrees within float32 rounding.
 */
public interface MatrixOps {

    /** c = a · b; a (m, k), b (k, n), c (m, n). */
    void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = aᵀ · b; a (k, m), b (k, n), c (m, n). */
    void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = a · bᵀ; a (m, k), b (n, k), c (m, n). */
    void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /**
     * c = aᵀ·b as {@link #multTransA}, then {@code after.run(from, to)} for each finished block of
     * c's rows, on the thread that computed it (the optimizer updates those kernel rows while they are
     * in that core's cache). The blocks cover c's rows exactly once.
     */
    default void multTransAThen(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c, Range after) {
        multTransA(a, b, c);
        after.run(0, c.numRows);
    }

    /**
     * sum[c] += rows[r·cols + c] for r = 0 … count − 1 in that order, for every c &lt; cols: a bias's
     * gradient, each column summed row after row (the same bits on every backend).
     */
    default void addRows(float[] rows, int count, int cols, float[] sum) {
        for (int r = 0; r < count; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                sum[c] += rows[o + c];
            }
        }
    }

    /**
     * Sets the subnormal values of a[from, to) to +0 (an optimizer's state, see {@link Optimizer});
     * zeros of either sign and normal values stay as they are.
     */
    default void flushSubnormals(float[] a, int from, int to) {
        flushSubnormalsInOrder(a, from, to);
    }

    /** {@link #flushSubnormals} one element at a time (a test and a branch per element: C2 does not vectorize it). */
    static void flushSubnormalsInOrder(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            float x = a[i];
            if (x != 0f && Math.abs(x) < Float.MIN_NORMAL) {
                a[i] = 0f;
            }
        }
    }

    /**
     * Runs {@code body} over units [0, units) in chunks whose sizes are multiples of {@code granule},
     * on this backend's threads when {@code work} (about the floats the pass touches) is worth a
     * hand-off and no other job holds them; otherwise in one call {@code body.run(0, units)} on the
     * caller. Every unit is run exactly once; {@code body} must give the same results whichever
     * thread runs a chunk.
     */
    default void parallelFor(int units, int granule, long work, Range body) {
        body.run(0, units);
    }

    /** Whether {@link #multTransAStacked} is available (the data-parallel step needs it). */
    default boolean stacks() {
        return false;
    }

    /**
     * Rows [i0, i1) of c = Aᵀ·B where A = [a₀; a₁; …] and B = [b₀; b₁; …] stack the first
     * {@code count} blocks by rows (a_s (k_s, m), b_s (k_s, n), c (m, n)): the bits of
     * {@link #multTransA} on the stacked matrices. Runs on the calling thread.
     *
     * @throws UnsupportedOperationException unless {@link #stacks()}
     */
    default void multTransAStacked(FMatrixRMaj[] a, FMatrixRMaj[] b, int count, FMatrixRMaj c, int i0, int i1) {
        throw new UnsupportedOperationException(name() + " has no stacked product");
    }

    /** A short name for logs and benchmark output: {@code vector}, {@code java} or {@code ejml}. */
    String name();

    /** Threads one product may use, the caller's included. */
    default int threads() {
        return 1;
    }

    /**
     * This backend on the calling thread only: what each shard of a data-parallel step
     * ({@code ShardedStep}) runs its products on, since the shards already occupy the threads.
     * Same results as this backend.
     */
    default MatrixOps singleThreaded() {
        return threads() == 1 ? this : Backends.select(name(), 1);
    }

    /** What runs the products, for logs and {@code /actuator/info}: backend, threads, vector species. */
    default Map<String, Object> describe() {
        return Map.of("backend", name(), "threads", threads());
    }

    /** The backend that always works: EJML's single-threaded row-major kernels. */
    static MatrixOps ejml() {
        return Backends.ejml();
    }

    /**
     * The best available backend for a preference: {@code auto} (vector if the JVM has the Vector
     * API module, else java), {@code vector} (falls back like auto when the module is missing),
     * {@code java} or {@code ejml}. {@code threads} (≥ 1) is the most threads one product may use;
     * the EJML backend always uses one. Backends are cached: the same arguments answer the same
     * instance, so helper threads are not multiplied.
     *
     * @throws IllegalArgumentException for an unknown preference or threads &lt; 1
     */
    static MatrixOps select(String preference, int threads) {
        return Backends.select(preference, threads);
    }

    /**
     * The engine's default backend: used by {@link TrainingConfig} when none is given, by
     * {@link Network#predict} and by {@link Evaluation}. At first use it is
     * {@code select(mlp.engine.backend, mlp.training.threads)} from system properties (defaults:
     * auto, all cores); the application replaces it at start-up with {@link #setDefault}.
     */
    static MatrixOps defaultOps() {
        return Backends.defaultOps();
    }

    /** Replaces the engine's default backend. */
    static void setDefault(MatrixOps ops) {
        Backends.setDefault(ops);
    }

    /** Whether the Vector API module is present in this JVM, i.e. the {@code vector} backend is available. */
    static boolean vectorAvailable() {
        return Backends.vectorAvailable();
    }

    /** Work on the units [from, to) of a pass: rows of a product, elements of an array, shards of a batch. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }
}
