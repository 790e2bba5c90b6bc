package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/**
 * Inverted dropout, as Keras' {@code Dropout} layer: in training each value is kept with
 * probability 1 − p and then scaled by 1 / (1 − p), so the expected value is unchanged and
 * prediction (and validation) runs the layer as the identity.
 *
 * <p><b>Which values are dropped.</b> The keep/drop bit of value (row, unit) of a layer in a step is
 * a hash of (seed, step, layer, row of the mini-batch, unit), not a draw from a stream: so it needs no
 * state beyond the step counter, costs no allocation, and a shard of a mini-batch
 * ({@link ShardedStep}) that knows its first row gets exactly the bits the whole batch would give its
 * rows. Same seed, data and settings: the same masks, so the same weights bit for bit.
 */
final class Dropout {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final float TO_UNIT = 1f / (1 << 24);

    private float rate;
    private float scale; // 1 / (1 − p): the value a kept unit is multiplied by
    private final int layer;   // 0 for the inputs, i + 1 for layer i's outputs
    private final float[] mask; // (capacity, units): 0 or scale
    private final FMatrixRMaj dropped; // (capacity, units): the values after the mask

    Dropout(double rate, int layer, int capacity, int units) {
        this.rate = (float) rate;
        this.scale = (float) (1 / (1 - rate));
        this.layer = layer;
        this.mask = new float[capacity * units];
        this.dropped = new FMatrixRMaj(capacity, units);
    }

    /** The rate from the next mask on (a running job steered between mini-batches), in [0, 1). */
    void setRate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + rate);
        }
        this.rate = (float) rate;
        this.scale = (float) (1 / (1 - rate));
    }

    /** The values after the last {@link #apply}, (rows, units). */
    FMatrixRMaj dropped() {
        return dropped;
    }

    /**
     * Draws the mask of rows [rowOffset, rowOffset + rows) of the mini-batch for this step (unless
     * {@code redraw} is false: the test hook that keeps the last mask), and writes {@code in} ⊙ mask
     * into {@link #dropped()}.
     */
    void apply(FMatrixRMaj in, long seed, long step, int rowOffset, boolean redraw) {
        int rows = in.numRows;
        int units = in.numCols;
        dropped.reshape(rows, units);
        if (redraw) {
            long base = mix(mix(seed * GOLDEN + step) + layer * GOLDEN);
            for (int r = 0; r < rows; r++) {
                long rowKey = base + (long) (rowOffset + r) * units * GOLDEN;
                int o = r * units;
                for (int c = 0; c < units; c++) {
                    float u = (mix(rowKey + c * GOLDEN) >>> 40) * TO_UNIT; // uniform in [0, 1), 24 bits
                    mask[o + c] = u < rate ? 0f : scale;
                }
            }
        }
        float[] x = in.data;
        float[] d = dropped.data;
        for (int i = 0, n = rows * units; i < n; i++) {
            d[i] = x[i] * mask[i];
        }
    }

    /** d loss / d in = d loss / d dropped ⊙ mask, in place on {@code grad} (rows, units). */
    void backward(FMatrixRMaj grad) {
        float[] g = grad.data;
        for (int i = 0, n = grad.getNumElements(); i < n; i++) {
            g[i] *= mask[i];
        }
    }

    /** SplitMix64's finalizer: a 64-bit bijection whose every output bit depends on every input bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
