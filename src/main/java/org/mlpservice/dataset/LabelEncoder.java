package org.mlpservice.dataset;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlpservice.engine.Evaluation;

/**
 * Maps class labels of any kind to network outputs and back, like scikit-learn's
 * {@code LabelEncoder}: the classes are the distinct labels, sorted, and class {@code i} is output
 * {@code i}. Two classes make a binary problem with one 0/1 column (a sigmoid output); k &gt; 2
 * classes make k one-hot columns (a softmax output).
 *
 * <p>Classes sort numerically when every label is a number ({@code "2"} before {@code "10"}),
 * otherwise lexicographically by {@link String#compareTo}.
 */
public final class LabelEncoder {

    private final List<String> classes;
    private final Map<String, Integer> index;

    private LabelEncoder(List<String> classes) {
        this.classes = List.copyOf(classes);
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            map.put(classes.get(i), i);
        }
        this.index = map;
    }

    /**
     * The encoder for the distinct labels in {@code labels}.
     *
     * @throws IllegalArgumentException when a label is null or there are fewer than 2 distinct labels
     */
    public static LabelEncoder fit(String[] labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null) {
                throw new IllegalArgumentException("label " + i + " is null");
            }
            distinct.add(labels[i]);
        }
        if (distinct.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, the labels have "
                    + distinct.size() + (distinct.isEmpty() ? "" : ": " + distinct));
        }
        List<String> sorted = new ArrayList<>(distinct);
        Map<String, BigDecimal> numbers = numbers(sorted);
        if (numbers != null) {
            // "1" and "1.0" are equal numbers but different labels: the string breaks the tie.
            sorted.sort(Comparator.comparing((String s) -> numbers.get(s)).thenComparing(Comparator.naturalOrder()));
        } else {
            sorted.sort(Comparator.naturalOrder());
        }
        return new LabelEncoder(sorted);
    }

    /** Every label as a number, or null when one of them is not a number. */
    private static Map<String, BigDecimal> numbers(List<String> labels) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (String label : labels) {
            try {
                out.put(label, new BigDecimal(label.strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }

    /** The classes in output order. */
    public List<String> classes() {
        return classes;
    }

    /** The number of output columns: 1 for two classes, else one per class. */
    public int outputs() {
        return classes.size() == 2 ? 1 : classes.size();
    }

    /**
     * The class index of {@code label}.
     *
     * @throws IllegalArgumentException for a label not seen by {@link #fit}
     */
    public int indexOf(String label) {
        Integer i = index.get(label);
        if (i == null) {
            throw new IllegalArgumentException("unknown label '" + label + "', known classes: " + classes);
        }
        return i;
    }

    /**
     * Targets for {@code labels}, (labels, {@link #outputs()}) row-major: a 0/1 column for two
     * classes (1 for the second class), one-hot rows otherwise.
     *
     * @throws IllegalArgumentException for an unknown label
     */
    public float[] encode(String[] labels) {
        int k = outputs();
        float[] y = new float[labels.length * k];
        for (int r = 0; r < labels.length; r++) {
            int c = indexOf(labels[r]);
            if (k == 1) {
                y[r] = c;
            } else {
                y[r * k + c] = 1f;
            }
        }
        return y;
    }

    /**
     * The label of one output row: the second class when a single output is ≥ 0.5, else the
     * arg-max class.
     *
     * @throws IllegalArgumentException when the row is not {@link #outputs()} long
     */
    public String decode(float[] outputRow) {
        if (outputRow == null || outputRow.length != outputs()) {
            throw new IllegalArgumentException("expected an output row of " + outputs() + " values, got "
                    + (outputRow == null ? "null" : outputRow.length));
        }
        return classes.get(Evaluation.classOf(outputRow));
    }
}
