package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.mlpservice.engine.Evaluation;
import org.mlpservice.engine.Examples;

/**
 * k-fold splits of a dataset's rows, seeded: the folds are disjoint and together hold every row
 * once. For classification they are stratified (scikit-learn's {@code StratifiedKFold(shuffle=True)}):
 * each class's rows are shuffled and dealt round-robin over the folds, the deal going on from
 * class to class, so every class is spread evenly (its count per fold differs by at most one) and
 * the fold sizes differ by at most one. For regression the shuffled rows are cut into k runs
 * ({@code KFold(shuffle=True)}).
 */
final class Folds {

    private Folds() {
    }

    /**
     * The validation rows of each fold, ascending within a fold.
     *
     * @param data       the rows; for classification {@code y} is 0/1 in one column or one-hot
     * @param classifier stratify by class
     * @param k          folds, 2 .. rows
     * @param seed       same seed, same folds
     */
    static int[][] split(Examples data, boolean classifier, int k, long seed) {
        if (k < 2 || k > data.rows()) {
            throw new IllegalArgumentException("k must be between 2 and the " + data.rows() + " rows, got " + k);
        }
        Random random = new Random(seed);
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        if (classifier) {
            int next = 0;
            for (int[] rows : rowsByClass(data)) {
                shuffle(rows, random);
                for (int row : rows) {
                    folds.get(next).add(row);
                    next = (next + 1) % k;
                }
            }
        } else {
            int[] rows = new int[data.rows()];
            Arrays.setAll(rows, i -> i);
            shuffle(rows, random);
            for (int i = 0; i < rows.length; i++) {
                // Row i of the shuffle goes to the fold whose run holds it: the first rows % k runs are one longer.
                folds.get((int) ((long) i * k / rows.length)).add(rows[i]);
            }
        }
        int[][] answer = new int[k][];
        for (int f = 0; f < k; f++) {
            answer[f] = folds.get(f).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return answer;
    }

    /** Every row not in {@code fold}, ascending: the fold's training rows. */
    static int[] complement(int[] fold, int rows) {
        boolean[] held = new boolean[rows];
        for (int row : fold) {
            held[row] = true;
        }
        int[] rest = new int[rows - fold.length];
        int at = 0;
        for (int row = 0; row < rows; row++) {
            if (!held[row]) {
                rest[at++] = row;
            }
        }
        return rest;
    }

    /** Rows per class in output order (class 0, 1, ...); a class without rows gets an empty array. */
    static int[] classCounts(Examples data) {
        int[][] byClass = rowsByClass(data);
        int[] counts = new int[byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            counts[c] = byClass[c].length;
        }
        return counts;
    }

    /** The rows of each class, ascending; the class of a row as the engine reads its target. */
    private static int[][] rowsByClass(Examples data) {
        int outputs = data.outputs();
        int classes = outputs == 1 ? 2 : outputs;
        List<List<Integer>> rows = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            rows.add(new ArrayList<>());
        }
        float[] target = new float[outputs];
        for (int row = 0; row < data.rows(); row++) {
            System.arraycopy(data.y(), row * outputs, target, 0, outputs);
            rows.get(Evaluation.classOf(target)).add(row);
        }
        return rows.stream().map(r -> r.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /** Fisher–Yates, in place. */
    private static void shuffle(int[] rows, Random random) {
        for (int i = rows.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = rows[i];
            rows[i] = rows[j];
            rows[j] = tmp;
        }
    }
}
