package org.mlpservice.engine;

import java.util.Arrays;

/**
 * The exact area under the ROC curve of a binary classifier, as scikit-learn's
 * {@code roc_auc_score}: the Mann–Whitney statistic, the fraction of (positive, negative) pairs
 * whose positive row scores higher, a tie counting one half. Rows are collected into a buffer
 * sized once ({@link #add} allocates nothing); {@link #value} sorts it in place.
 *
 * <p>Each row is one {@code long}: the score's bits in an order that sorts as the floats do, then
 * the label in the lowest bit. Sorted, equal scores are neighbours, so one pass counts, for every
 * group of tied scores, its positives against the negatives below it and half of those within it.
 */
final class RocAuc {

    private final long[] keys;
    private int size;
    private boolean undefined; // a NaN score: no order, no area

    /** A buffer for up to {@code capacity} rows; rows beyond it are ignored (callers size it to their data). */
    RocAuc(int capacity) {
        this.keys = new long[capacity];
    }

    void reset() {
        size = 0;
        undefined = false;
    }

    /** Adds one row: the score of the positive class and whether the row is positive. */
    void add(float score, boolean positive) {
        if (size == keys.length) {
            return;
        }
        if (Float.isNaN(score)) {
            undefined = true;
        }
        int bits = Float.floatToIntBits(score + 0.0f); // + 0.0f: −0 and 0 are one score
        bits ^= (bits >> 31) & 0x7fffffff;              // negative floats: reverse their order
        keys[size++] = ((long) bits << 1) | (positive ? 1 : 0);
    }

    /** The area, or null when it is undefined: no positive or no negative row (as scikit-learn refuses), or a NaN score. */
    Double value() {
        if (undefined) {
            return null;
        }
        // In place; for a long run of presorted keys the JDK may borrow a buffer once (never per mini-batch).
        Arrays.sort(keys, 0, size);
        long positives = 0;
        long negativesBelow = 0;
        long twiceWins = 0; // 2 × (pairs ranked right) + tied pairs: exact in integers
        int i = 0;
        while (i < size) {
            long score = keys[i] >> 1;
            long pos = 0;
            long neg = 0;
            for (; i < size && keys[i] >> 1 == score; i++) {
                if ((keys[i] & 1) == 1) {
                    pos++;
                } else {
                    neg++;
                }
            }
            twiceWins += pos * (2 * negativesBelow + neg);
            negativesBelow += neg;
            positives += pos;
        }
        long negatives = negativesBelow;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return twiceWins / (2.0 * positives * negatives);
    }
}
