package org.mlpservice.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Class weights of a classifier's training loss, as Keras' {@code class_weight}: each row's loss
 * is multiplied by its class's weight. Either given per class label, or {@link #balanced()} as
 * scikit-learn's {@code "balanced"}: n / (k·count_c), counted on the training rows (k the classes
 * present there), so every class weighs the same in total.
 */
public final class ClassWeights {

    private final Map<String, Double> byLabel; // null when balanced

    private ClassWeights(Map<String, Double> byLabel) {
        this.byLabel = byLabel;
    }

    public static ClassWeights balanced() {
        return new ClassWeights(null);
    }

    /** Weights by class label (a label left out weighs 1); each ≥ 0. */
    public static ClassWeights of(Map<String, Double> byLabel) {
        for (Map.Entry<String, Double> e : byLabel.entrySet()) {
            if (e.getValue() == null || !(e.getValue() >= 0) || Double.isInfinite(e.getValue())) {
                throw new IllegalArgumentException("the weight of class " + e.getKey() + " must be a finite number >= 0");
            }
        }
        return new ClassWeights(Map.copyOf(new LinkedHashMap<>(byLabel)));
    }

    public boolean isBalanced() {
        return byLabel == null;
    }

    /** The weights by label; empty when balanced. */
    public Map<String, Double> byLabel() {
        return byLabel == null ? Map.of() : byLabel;
    }

    /**
     * Each row's weight for these rows of a classifier whose classes are {@code labels} in output
     * order (empty: the class indices "0", "1" …); a single 0/1 output has the classes 0 and 1.
     */
    float[] rowWeights(Examples rows, List<String> labels) {
        int k = rows.outputs() == 1 ? 2 : rows.outputs();
        int[] classOf = new int[rows.rows()];
        long[] count = new long[k];
        for (int r = 0; r < rows.rows(); r++) {
            classOf[r] = rows.outputs() == 1 ? (rows.y()[r] >= 0.5f ? 1 : 0)
                    : MetricAccumulator.argmax(rows.y(), r * rows.outputs(), rows.outputs());
            count[classOf[r]]++;
        }
        double[] weight = new double[k];
        if (byLabel == null) {
            int present = 0;
            for (long c : count) {
                present += c > 0 ? 1 : 0;
            }
            for (int c = 0; c < k; c++) {
                weight[c] = count[c] == 0 ? 0 : rows.rows() / ((double) present * count[c]);
            }
        } else {
            java.util.Arrays.fill(weight, 1);
            for (Map.Entry<String, Double> e : byLabel.entrySet()) {
                int c = labels.isEmpty() ? indexOf(e.getKey(), k) : labels.indexOf(e.getKey());
                if (c < 0 || c >= k) {
                    throw new IllegalArgumentException("class weight for '" + e.getKey() + "', which is not one of the classes "
                            + (labels.isEmpty() ? "0 .. " + (k - 1) : labels));
                }
                weight[c] = e.getValue();
            }
        }
        float[] w = new float[rows.rows()];
        for (int r = 0; r < w.length; r++) {
            w[r] = (float) weight[classOf[r]];
        }
        return w;
    }

    private static int indexOf(String label, int k) {
        try {
            return Integer.parseInt(label.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassWeights other && java.util.Objects.equals(byLabel, other.byLabel);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(byLabel);
    }

    @Override
    public String toString() {
        return byLabel == null ? "balanced" : byLabel.toString();
    }
}
