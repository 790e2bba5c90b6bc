package org.mlpservice.engine.kernel;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mlpservice.engine.MatrixOps;

/**
 * Chooses and caches the {@link MatrixOps} backends and holds the engine's default: what
 * {@link MatrixOps#select}, {@link MatrixOps#defaultOps} and the other static methods of
 * {@link MatrixOps} answer. The engine's only way into this package.
 *
 * <p>The Vector API backend is loaded by name, and only after {@code jdk.incubator.vector} has been
 * found: a JVM started without {@code --add-modules=jdk.incubator.vector} never loads a class
 * that refers to it, and gets the Java backend instead of an error.
 */
public final class Backends {

    private static final String VECTOR_CLASS = "org.mlpservice.engine.kernel.VectorMatrixOps";
    private static final Map<String, MatrixOps> CACHE = new ConcurrentHashMap<>();
    private static volatile MatrixOps defaultOps;
    private static volatile Boolean vector;

    private Backends() {
    }

    /** See {@link MatrixOps#select}. */
    public static MatrixOps select(String preference, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String key = preference == null || preference.isBlank() ? "auto" : preference.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "ejml" -> EjmlMatrixOps.INSTANCE;
            case "java" -> CACHE.computeIfAbsent("java/" + threads, k -> new JavaMatrixOps(threads));
            case "auto", "vector" -> vectorAvailable()
                    ? CACHE.computeIfAbsent("vector/" + threads, k -> newVector(threads))
                    : select("java", threads);
            default -> throw new IllegalArgumentException(
                    "unknown matrix backend '" + preference + "', expected auto, vector, java or ejml");
        };
    }

    /** See {@link MatrixOps#vectorAvailable}. */
    public static boolean vectorAvailable() {
        Boolean known = vector;
        if (known == null) {
            known = probeVector();
            vector = known;
        }
        return known;
    }

    private static boolean probeVector() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            // Load and run the kernel once: a platform where the module loads but the kernel does
            // not work falls back here rather than in the middle of a training job.
            MatrixOps probe = newVector(1);
            org.ejml.data.FMatrixRMaj a = new org.ejml.data.FMatrixRMaj(9, 40);
            org.ejml.data.FMatrixRMaj b = new org.ejml.data.FMatrixRMaj(40, 40);
            java.util.Arrays.fill(a.data, 1f);
            java.util.Arrays.fill(b.data, 0.5f);
            org.ejml.data.FMatrixRMaj c = new org.ejml.data.FMatrixRMaj(9, 40);
            probe.mult(a, b, c);
            return c.get(8, 39) == 20f;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    private static MatrixOps newVector(int threads) {
        try {
            return (MatrixOps) Class.forName(VECTOR_CLASS).getDeclaredConstructor(int.class).newInstance(threads);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the vector backend could not be created", e);
        }
    }

    /** See {@link MatrixOps#ejml}. */
    public static MatrixOps ejml() {
        return EjmlMatrixOps.INSTANCE;
    }

    /** See {@link MatrixOps#defaultOps}. */
    public static MatrixOps defaultOps() {
        MatrixOps ops = defaultOps;
        if (ops == null) {
            synchronized (Backends.class) {
                ops = defaultOps;
                if (ops == null) {
                    ops = select(System.getProperty("mlp.engine.backend", "auto"), defaultThreads());
                    defaultOps = ops;
                }
            }
        }
        return ops;
    }

    /** See {@link MatrixOps#setDefault}. */
    public static void setDefault(MatrixOps ops) {
        defaultOps = java.util.Objects.requireNonNull(ops, "ops");
    }

    /** {@code mlp.training.threads} as a system property, else all cores. */
    static int defaultThreads() {
        String value = System.getProperty("mlp.training.threads");
        if (value != null && !value.isBlank()) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // falls through to all cores
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
