package org.mlpservice.dataset;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded synthetic two-feature data sets, after scikit-learn's {@code make_circles} and
 * {@code make_moons} and the TensorFlow Playground's data sets. Every factory draws from
 * {@code new Random(seed)} only, so the same arguments always give identical arrays.
 */
public final class Generators {

    /** Largest number of samples a factory will generate. */
    public static final int MAX_SAMPLES = 1_000_000;

    private static final List<String> KINDS = List.of("circles", "moons", "xor", "gauss", "spiral", "plane");

    private Generators() {
    }

    /** The names {@link #generate} accepts: circles, moons, xor, gauss, spiral, plane. */
    public static List<String> kinds() {
        return KINDS;
    }

    /**
     * Generates the data set called {@code kind} (case-insensitive, one of {@link #kinds()}).
     *
     * @param factor the inner circle's scale, used (and validated) only by {@code circles}
     * @throws IllegalArgumentException for an unknown kind or an invalid argument
     */
    public static SyntheticData generate(String kind, int samples, double noise, double factor, long seed) {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null; known kinds: " + String.join(", ", KINDS));
        }
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "circles" -> circles(samples, noise, factor, seed);
            case "moons" -> moons(samples, noise, seed);
            case "xor" -> xor(samples, noise, seed);
            case "gauss" -> gauss(samples, noise, seed);
            case "spiral" -> spiral(samples, noise, seed);
            case "plane" -> plane(samples, noise, seed);
            default -> throw new IllegalArgumentException(
                    "unknown kind '" + kind + "'; known kinds: " + String.join(", ", KINDS));
        };
    }

    /**
     * A large circle of radius 1 (label 0) around a small one of radius {@code factor} (label 1),
     * rows shuffled, then Gaussian noise of standard deviation {@code noise} added to each coordinate.
     * The outer circle gets {@code samples / 2} points, the inner one the rest.
     *
     * @param factor inner radius, strictly between 0 and 1
     */
    public static SyntheticData circles(int samples, double noise, double factor, long seed) {
        // Follows scikit-learn's sklearn.datasets.make_circles (shuffle=True).
        checkSamplesAndNoise(samples, noise);
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        }
        int nOut = samples / 2;
        int nIn = samples - nOut;
        double[] x = new double[2 * samples];
        float[] target = new float[samples];
        for (int i = 0; i < nOut; i++) {
            double t = 2 * Math.PI * i / nOut; // linspace(0, 2π, nOut, endpoint=False)
            x[2 * i] = Math.cos(t);
            x[2 * i + 1] = Math.sin(t);
        }
        for (int i = 0; i < nIn; i++) {
            double t = 2 * Math.PI * i / nIn;
            int row = nOut + i;
            x[2 * row] = factor * Math.cos(t);
            x[2 * row + 1] = factor * Math.sin(t);
            target[row] = 1f;
        }
        Random random = new Random(seed);
        shuffleRows(x, target, random);
        return new SyntheticData("circles", addGaussianNoise(x, noise, random), samples, 2, target, true);
    }

    /**
     * Two interleaving half circles: the upper one of radius 1 centred on the origin (label 0) and
     * the lower one centred on (1, 0.5) (label 1), rows shuffled, then Gaussian noise of standard
     * deviation {@code noise} added to each coordinate.
     */
    public static SyntheticData moons(int samples, double noise, long seed) {
        // Follows scikit-learn's sklearn.datasets.make_moons (shuffle=True).
        checkSamplesAndNoise(samples, noise);
        int nOut = samples / 2;
        int nIn = samples - nOut;
        double[] x = new double[2 * samples];
        float[] target = new float[samples];
        for (int i = 0; i < nOut; i++) {
            double t = linspace(Math.PI, nOut, i);
            x[2 * i] = Math.cos(t);
            x[2 * i + 1] = Math.sin(t);
        }
        for (int i = 0; i < nIn; i++) {
            double t = linspace(Math.PI, nIn, i);
            int row = nOut + i;
            x[2 * row] = 1 - Math.cos(t);
            x[2 * row + 1] = 1 - Math.sin(t) - 0.5;
            target[row] = 1f;
        }
        Random random = new Random(seed);
        shuffleRows(x, target, random);
        return new SyntheticData("moons", addGaussianNoise(x, noise, random), samples, 2, target, true);
    }

    /**
     * Points uniform in [-5, 5]² pushed 0.3 away from both axes, each displaced by
     * {@code uniform(-5, 5) * noise} per coordinate; label 1 where the displaced x·y ≥ 0, else 0.
     * The returned points are the displaced ones, so labels always match the quadrant.
     */
    public static SyntheticData xor(int samples, double noise, long seed) {
        // Follows the TensorFlow Playground's classifyXORData (dataset.ts), returning the noisy point.
        checkSamplesAndNoise(samples, noise);
        Random random = new Random(seed);
        float[] x = new float[2 * samples];
        float[] target = new float[samples];
        for (int i = 0; i < samples; i++) {
            double px = uniform(random, -5, 5);
            px += px > 0 ? 0.3 : -0.3;
            double py = uniform(random, -5, 5);
            py += py > 0 ? 0.3 : -0.3;
            double noisyX = px + uniform(random, -5, 5) * noise;
            double noisyY = py + uniform(random, -5, 5) * noise;
            x[2 * i] = (float) noisyX;
            x[2 * i + 1] = (float) noisyY;
            target[i] = noisyX * noisyY >= 0 ? 1f : 0f;
        }
        return new SyntheticData("xor", x, samples, 2, target, true);
    }

    /**
     * Two Gaussian blobs: {@code samples / 2} points around (2, 2) labelled 1, the rest around
     * (-2, -2) labelled 0. The variance grows linearly from 0.5 at noise 0 to 4 at noise 0.5
     * (noise above 0.5 is treated as 0.5).
     */
    public static SyntheticData gauss(int samples, double noise, long seed) {
        // Follows the TensorFlow Playground's classifyTwoGaussData (dataset.ts).
        checkSamplesAndNoise(samples, noise);
        double variance = 0.5 + Math.min(noise, 0.5) / 0.5 * 3.5;
        double std = Math.sqrt(variance);
        Random random = new Random(seed);
        int positives = samples / 2;
        float[] x = new float[2 * samples];
        float[] target = new float[samples];
        for (int i = 0; i < samples; i++) {
            double centre = i < positives ? 2 : -2;
            x[2 * i] = (float) (centre + std * random.nextGaussian());
            x[2 * i + 1] = (float) (centre + std * random.nextGaussian());
            target[i] = i < positives ? 1f : 0f;
        }
        return new SyntheticData("gauss", x, samples, 2, target, true);
    }

    /**
     * Two interleaved spirals of 1.75 turns reaching radius 5: {@code samples / 2} points labelled 1
     * and the rest, rotated by π, labelled 0; each coordinate moved by {@code uniform(-1, 1) * noise}.
     */
    public static SyntheticData spiral(int samples, double noise, long seed) {
        // Follows the TensorFlow Playground's classifySpiralData (dataset.ts).
        checkSamplesAndNoise(samples, noise);
        Random random = new Random(seed);
        int n = samples / 2;
        float[] x = new float[2 * samples];
        float[] target = new float[samples];
        genSpiral(x, target, 0, n, 0, 1f, noise, random);
        genSpiral(x, target, n, samples - n, Math.PI, 0f, noise, random);
        return new SyntheticData("spiral", x, samples, 2, target, true);
    }

    /**
     * Regression on a plane: points uniform in [-6, 6]², target ({@code nx + ny}) / 10 where each
     * coordinate is first moved by {@code uniform(-6, 6) * noise}; the returned points are unmoved.
     */
    public static SyntheticData plane(int samples, double noise, long seed) {
        // Follows the TensorFlow Playground's regressPlane (dataset.ts).
        checkSamplesAndNoise(samples, noise);
        Random random = new Random(seed);
        float[] x = new float[2 * samples];
        float[] target = new float[samples];
        for (int i = 0; i < samples; i++) {
            double px = uniform(random, -6, 6);
            double py = uniform(random, -6, 6);
            double noisyX = px + uniform(random, -6, 6) * noise;
            double noisyY = py + uniform(random, -6, 6) * noise;
            x[2 * i] = (float) px;
            x[2 * i + 1] = (float) py;
            target[i] = (float) ((noisyX + noisyY) / 10); // label scale [-10, 10] -> [-1, 1]
        }
        return new SyntheticData("plane", x, samples, 2, target, false);
    }

    private static void genSpiral(float[] x, float[] target, int start, int count, double deltaT,
                                  float label, double noise, Random random) {
        for (int i = 0; i < count; i++) {
            double r = (double) i / count * 5;
            double t = 1.75 * i / count * 2 * Math.PI + deltaT;
            int row = start + i;
            x[2 * row] = (float) (r * Math.sin(t) + uniform(random, -1, 1) * noise);
            x[2 * row + 1] = (float) (r * Math.cos(t) + uniform(random, -1, 1) * noise);
            target[row] = label;
        }
    }

    private static void checkSamplesAndNoise(int samples, double noise) {
        if (samples < 2 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("samples must be between 2 and " + MAX_SAMPLES + ", got " + samples);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
        }
    }

    /** numpy.linspace(0, stop, n) (endpoint included), element i. */
    private static double linspace(double stop, int n, int i) {
        return n == 1 ? 0 : stop * i / (n - 1);
    }

    private static double uniform(Random random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /** Fisher–Yates shuffle of the rows of (x, target), x having two columns. */
    private static void shuffleRows(double[] x, float[] target, Random random) {
        for (int i = target.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double x0 = x[2 * i];
            double x1 = x[2 * i + 1];
            x[2 * i] = x[2 * j];
            x[2 * i + 1] = x[2 * j + 1];
            x[2 * j] = x0;
            x[2 * j + 1] = x1;
            float t = target[i];
            target[i] = target[j];
            target[j] = t;
        }
    }

    private static float[] addGaussianNoise(double[] x, double noise, Random random) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (noise > 0 ? x[i] + noise * random.nextGaussian() : x[i]);
        }
        return out;
    }
}
