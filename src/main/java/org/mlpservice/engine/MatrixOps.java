package org.mlpservice.engine;

import java.util.Map;
import org.ejml.data.FMatrixRMaj;

/**
 * The three matrix products of a dense layer's forward and backward pass. Kept behind this small
 * interface so the layers do not know which backend runs them. Implementations reshape {@code c}
 * (which must have the capacity) and never allocate once warmed up.
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
        return threads() == 1 ? this : MatrixBackends.select(name(), 1);
    }

    /** What runs the products, for logs and {@code /actuator/info}: backend, threads, vector species. */
    default Map<String, Object> describe() {
        return Map.of("backend", name(), "threads", threads());
    }

    /** The backend that always works: EJML's single-threaded row-major kernels. */
    static MatrixOps ejml() {
        return EjmlMatrixOps.INSTANCE;
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
        return MatrixBackends.select(preference, threads);
    }

    /**
     * The engine's default backend: used by {@link TrainingConfig} when none is given, by
     * {@link Network#predict} and by {@link Evaluation}. At first use it is
     * {@code select(mlp.engine.backend, mlp.training.threads)} from system properties (defaults:
     * auto, all cores); the application replaces it at start-up with {@link #setDefault}.
     */
    static MatrixOps defaultOps() {
        return MatrixBackends.defaultOps();
    }

    /** Replaces the engine's default backend. */
    static void setDefault(MatrixOps ops) {
        MatrixBackends.setDefault(ops);
    }

    /** Whether the Vector API module is present in this JVM, i.e. the {@code vector} backend is available. */
    static boolean vectorAvailable() {
        return MatrixBackends.vectorAvailable();
    }
}
