package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One CSV column while it is read, in primitive buffers: never a boxed value per cell.
 *
 * <p>A column starts as a dictionary: its distinct texts (levels) and an {@code int} code per row.
 * That serves categorical features, class labels and numeric columns with few distinct values
 * alike, and keeps the exact text of labels such as {@code "07"}. A column with more than
 * {@code maxLevels} distinct texts ({@code mlp.limits.levels}) cannot be one-hot encoded level by
 * level, so it switches to one {@code float} per row and keeps only the first non-numeric cells, to
 * name them in errors; when the upload hashes such columns, it also keeps each row's hash bucket
 * ({@link FeatureHashing}), so the column can still be a categorical feature if it is not numbers.
 * Missing cells (the reader hands them over as {@code ""}) are kept as the level {@code ""} or as NaN,
 * and hash as the text {@value MissingValues#LEVEL}.
 *
 * <p>Buffers never grow past {@code maxRows} entries, the most rows the reader can accept.
 */
final class CsvColumn {

    /** One non-numeric cell, for an error message. */
    record Cell(int row, String text) {
    }

    private final String name;
    private final int maxLevels;
    private final int hashBuckets;
    private final int maxRows;
    private int size;
    private long missing;

    // Dictionary mode (values == null).
    private Map<String, Integer> dictionary = new HashMap<>();
    private final List<String> levels = new ArrayList<>();
    private int[] codes;

    // Number mode, after the dictionary overflowed.
    private float[] values;
    private long nonNumeric;
    private final List<Cell> nonNumericCells = new ArrayList<>();
    private int[] buckets; // hash bucket per row, in number mode when hashBuckets > 0

    // Filled in by finish().
    private float[] levelValues;
    private long[] levelCounts;

    /**
     * @param maxLevels   most distinct texts kept as a dictionary
     * @param hashBuckets when above 0, past {@code maxLevels} each row's hash bucket among this many is kept
     * @param maxRows     most rows the column will be asked to hold
     */
    CsvColumn(String name, int maxLevels, int hashBuckets, int maxRows) {
        this.name = name;
        this.maxLevels = maxLevels;
        this.hashBuckets = hashBuckets;
        this.maxRows = maxRows;
        this.codes = new int[Math.min(256, Math.max(maxRows, 1))];
    }

    String name() {
        return name;
    }

    int size() {
        return size;
    }

    /** Appends one cell, already stripped of surrounding blanks ({@code ""} when empty). */
    void add(String text) {
        if (text.isEmpty()) {
            missing++;
        }
        if (values != null) {
            addNumber(text);
            return;
        }
        Integer code = dictionary.get(text);
        if (code == null) {
            if (levels.size() == maxLevels) {
                switchToNumbers();
                addNumber(text);
                return;
            }
            code = levels.size();
            dictionary.put(text, code);
            levels.add(text);
        }
        if (size == codes.length) {
            codes = Arrays.copyOf(codes, grow(size));
        }
        codes[size++] = code;
    }

    /** Ends reading: computes per-level numbers and counts, drops the lookup map. */
    void finish() {
        dictionary = null;
        if (values != null) {
            return;
        }
        levelValues = new float[levels.size()];
        levelCounts = new long[levels.size()];
        for (int l = 0; l < levels.size(); l++) {
            levelValues[l] = Numbers.parse(levels.get(l));
        }
        for (int r = 0; r < size; r++) {
            levelCounts[codes[r]]++;
        }
    }

    /** Cells that were missing (blank, {@code NA}, {@code NaN}, {@code null}, {@code ?}). */
    long missingCount() {
        return missing;
    }

    /** A missing cell hashes as {@value MissingValues#LEVEL}, as a missing value at prediction does. */
    private static String hashText(String text) {
        return text.isEmpty() ? MissingValues.LEVEL : text;
    }

    /** True while the column is a dictionary (at most {@code maxLevels} distinct texts). */
    boolean hasLevels() {
        return values == null;
    }

    /** The distinct texts in order of first appearance, {@code ""} included when a cell was empty. */
    List<String> levels() {
        return levels;
    }

    /** Rows holding each level, in {@link #levels()} order. */
    long[] levelCounts() {
        return levelCounts;
    }

    int code(int row) {
        return codes[row];
    }

    /** True when the column passed {@code maxLevels} and kept a hash bucket per row. */
    boolean hasBuckets() {
        return buckets != null;
    }

    /** The hash bucket of row {@code row}; only when {@link #hasBuckets()}. */
    int bucket(int row) {
        return buckets[row];
    }

    /** Bytes this column holds per row as read: a code or a number, and a bucket when hashed. */
    int bytesPerRow() {
        return buckets == null ? Integer.BYTES : 2 * Integer.BYTES;
    }

    /** The cell as a number; NaN when it is empty or not a number. */
    float number(int row) {
        return values != null ? values[row] : levelValues[codes[row]];
    }

    /** Non-empty cells that are not numbers. */
    long nonNumericCount() {
        if (values != null) {
            return nonNumeric;
        }
        long n = 0;
        for (int l = 0; l < levels.size(); l++) {
            if (isNonNumeric(l)) {
                n += levelCounts[l];
            }
        }
        return n;
    }

    /** Non-empty cells that are numbers. */
    long numericCount() {
        if (values != null) {
            long n = 0;
            for (int r = 0; r < size; r++) {
                n += Float.isNaN(values[r]) ? 0 : 1;
            }
            return n;
        }
        long n = 0;
        for (int l = 0; l < levels.size(); l++) {
            n += Float.isNaN(levelValues[l]) ? 0 : levelCounts[l];
        }
        return n;
    }

    /** The first {@code max} non-empty cells that are not numbers, in row order. */
    List<Cell> nonNumericCells(int max) {
        if (values != null) {
            return nonNumericCells.subList(0, Math.min(max, nonNumericCells.size()));
        }
        List<Cell> cells = new ArrayList<>();
        for (int r = 0; r < size && cells.size() < max; r++) {
            if (isNonNumeric(codes[r])) {
                cells.add(new Cell(r, levels.get(codes[r])));
            }
        }
        return cells;
    }

    /** True when every level that is a number is a whole number (class labels such as 0..9). */
    boolean numbersAreIntegers() {
        if (values != null) {
            return false;
        }
        for (float v : levelValues) {
            if (!Float.isNaN(v) && (v != Math.rint(v) || Math.abs(v) > (1 << 24))) {
                return false;
            }
        }
        return true;
    }

    /** Distinct non-empty texts; only meaningful while {@link #hasLevels()}. */
    int distinctValues() {
        return (int) levels.stream().filter(l -> !l.isEmpty()).count();
    }

    private boolean isNonNumeric(int level) {
        return Float.isNaN(levelValues[level]) && !levels.get(level).isEmpty();
    }

    private void switchToNumbers() {
        values = new float[codes.length];
        int[] levelBuckets = null;
        if (hashBuckets > 0) {
            buckets = new int[codes.length];
            levelBuckets = new int[levels.size()];
            for (int l = 0; l < levelBuckets.length; l++) {
                levelBuckets[l] = FeatureHashing.bucket(hashText(levels.get(l)), hashBuckets);
            }
        }
        for (int r = 0; r < size; r++) {
            String text = levels.get(codes[r]);
            values[r] = Numbers.parse(text);
            countNonNumeric(r, text, values[r]);
            if (levelBuckets != null) {
                buckets[r] = levelBuckets[codes[r]];
            }
        }
        codes = null;
        dictionary = null;
    }

    private void addNumber(String text) {
        if (size == values.length) {
            int capacity = grow(size);
            values = Arrays.copyOf(values, capacity);
            buckets = buckets == null ? null : Arrays.copyOf(buckets, capacity);
        }
        if (buckets != null) {
            buckets[size] = FeatureHashing.bucket(hashText(text), hashBuckets);
        }
        float v = Numbers.parse(text);
        countNonNumeric(size, text, v);
        values[size++] = v;
    }

    private void countNonNumeric(int row, String text, float v) {
        if (Float.isNaN(v) && !text.isEmpty()) {
            nonNumeric++;
            if (nonNumericCells.size() < Problems.MAX) {
                nonNumericCells.add(new Cell(row, text));
            }
        }
    }

    private int grow(int size) {
        long next = Math.min((long) size + (size >> 1) + 16, maxRows);
        if (next <= size) {
            throw new IllegalStateException("column " + name + " already holds the most rows, " + maxRows);
        }
        return (int) next;
    }
}
