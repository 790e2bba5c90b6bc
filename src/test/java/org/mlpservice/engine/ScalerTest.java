package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Standardization as scikit-learn's StandardScaler fits it, column by column, and its inverse. */
class ScalerTest {

    private static final int ROWS = 53;
    private static final int COLS = 19;

    @Test
    void eachColumnGetsItsMeanAndPopulationStandardDeviation() {
        float[] x = table();

        Scaler scaler = Scaler.fit(x, ROWS, COLS);

        for (int c = 0; c < COLS; c++) {
            double sum = 0;
            for (int r = 0; r < ROWS; r++) {
                sum += x[r * COLS + c];
            }
            double mean = sum / ROWS;
            double ss = 0;
            for (int r = 0; r < ROWS; r++) {
                double d = x[r * COLS + c] - mean;
                ss += d * d;
            }
            float std = (float) Math.sqrt(ss / ROWS);
            assertThat(scaler.mean()[c]).as("mean of column %d", c).isEqualTo((float) mean);
            assertThat(scaler.scale()[c]).as("scale of column %d", c).isEqualTo(c == 4 ? 1f : std);
        }
    }

    @Test
    void transformStandardizesEveryValueByItsColumnAndInverseUndoesIt() {
        float[] x = table();
        Scaler scaler = Scaler.fit(x, ROWS, COLS);

        float[] z = scaler.transform(x);
        float[] rows = new float[3 * COLS];
        scaler.transform(x, 10 * COLS, rows.length, rows);
        float[] back = z.clone();
        scaler.inverseInPlace(back);

        for (int i = 0; i < x.length; i++) {
            int c = i % COLS;
            assertThat(z[i]).isEqualTo((x[i] - scaler.mean()[c]) / scaler.scale()[c]);
            assertThat(back[i]).isCloseTo(x[i], within(1e-4f * (1 + Math.abs(x[i]))));
        }
        assertThat(rows).as("rows 10 to 12 alone").containsExactly(Arrays.copyOfRange(z, 10 * COLS, 13 * COLS));
        Scaler fitted = Scaler.fit(z, ROWS, COLS);
        for (int c = 0; c < COLS; c++) {
            assertThat(fitted.mean()[c]).as("standardized column %d is centred", c).isCloseTo(0f, within(1e-5f));
            if (c != 4) {
                assertThat(fitted.scale()[c]).as("and of unit spread").isCloseTo(1f, within(1e-4f));
            }
        }
    }

    @Test
    void valuesThatAreNotWholeRowsAreRefused() {
        Scaler scaler = Scaler.fit(table(), ROWS, COLS);

        assertThatThrownBy(() -> scaler.transform(new float[COLS + 1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not whole rows of 19 columns");
        assertThatThrownBy(() -> scaler.inverseInPlace(new float[2 * COLS - 1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scaler(new float[0], new float[0]).transform(new float[1])).isInstanceOf(IllegalArgumentException.class);
    }

    /** (ROWS, COLS) values, each column with its own centre and spread; column 4 constant. */
    private static float[] table() {
        float[] x = new float[ROWS * COLS];
        Random random = new Random(3);
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                x[r * COLS + c] = c == 4 ? 7.5f : (float) (c * 10 - 40 + random.nextGaussian() * (c + 1));
            }
        }
        return x;
    }
}
