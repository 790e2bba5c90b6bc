package org.mlpservice.engine;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Kernel initializers, as Keras defines them; biases start at zero. */
public enum Initializer {
    /** U(−l, l) with l = √(6 / (in + out)); the Keras default. */
    GLOROT_UNIFORM,
    /** Truncated normal with σ = √(2 / (in + out)). */
    GLOROT_NORMAL,
    /** U(−l, l) with l = √(6 / in). */
    HE_UNIFORM,
    /** Truncated normal with σ = √(2 / in). */
    HE_NORMAL;

    /** Keras divides σ by this so the normal truncated at 2σ keeps the intended variance. */
    private static final double TRUNCATION_CORRECTION = 0.87962566103423978;

    public static Initializer of(String name) {
        if (name == null || name.isBlank()) {
            return GLOROT_UNIFORM;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown initializer '" + name + "', expected one of " + names());
        }
    }

    public static List<String> names() {
        return List.of("glorot_uniform", "glorot_normal", "he_uniform", "he_normal");
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Fills a (fanIn, fanOut) kernel. */
    void fill(float[] kernel, int fanIn, int fanOut, Random random) {
        int n = fanIn * fanOut;
        switch (this) {
            case GLOROT_UNIFORM -> uniform(kernel, n, Math.sqrt(6.0 / (fanIn + fanOut)), random);
            case HE_UNIFORM -> uniform(kernel, n, Math.sqrt(6.0 / fanIn), random);
            case GLOROT_NORMAL -> truncatedNormal(kernel, n, Math.sqrt(2.0 / (fanIn + fanOut)), random);
            case HE_NORMAL -> truncatedNormal(kernel, n, Math.sqrt(2.0 / fanIn), random);
        }
    }

    private static void uniform(float[] w, int n, double limit, Random random) {
        for (int i = 0; i < n; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
    }

    private static void truncatedNormal(float[] w, int n, double sigma, Random random) {
        double s = sigma / TRUNCATION_CORRECTION;
        for (int i = 0; i < n; i++) {
            double g;
            do {
                g = random.nextGaussian();
            } while (Math.abs(g) > 2);
            w[i] = (float) (g * s);
        }
    }
}
