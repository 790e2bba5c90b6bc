package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fill values fitted ignoring NaN, on the training rows only, and applied as if typed in by hand. */
class ImputerTest {

    private static final float NAN = Float.NaN;

    @Test
    void theMeanAndTheMedianIgnoreMissingValues() {
        float[] x = {1, 10, NAN, NAN, 2, 30, 9, 20, NAN, NAN}; // (5, 2)

        assertThat(Imputer.fit(x, 5, 2, Imputer.Statistic.MEAN).values()).containsExactly(4f, 20f);
        // numpy: median([1, 2, 9]) = 2, median([10, 30, 20]) = 20; an even count takes the middle two's mean.
        assertThat(Imputer.fit(x, 5, 2, Imputer.Statistic.MEDIAN).values()).containsExactly(2f, 20f);
        assertThat(Imputer.fit(new float[] {1, NAN, 4, NAN, 2, NAN, 9, NAN}, 4, 2, Imputer.Statistic.MEDIAN).values())
                .as("an even count; a column with no value at all fills 0").containsExactly(3f, 0f);
    }

    @Test
    void everyColumnOfAWideTableGetsItsOwnMeanAndMedian() {
        int rows = 101;
        int cols = 37; // more columns than the median gathers per pass (16), and not a multiple of it
        float[] x = new float[rows * cols];
        Random random = new Random(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(5) == 0 ? NAN : (float) random.nextGaussian() * (1 + i % cols);
        }
        for (int r = 0; r < rows; r++) {
            x[r * cols + 20] = NAN; // a column with no value at all
        }

        float[] means = Imputer.fit(x, rows, cols, Imputer.Statistic.MEAN).values();
        float[] medians = Imputer.fit(x, rows, cols, Imputer.Statistic.MEDIAN).values();
        // A table too large for 16 columns of scratch gathers fewer per pass: the same medians.
        assertThat(Imputer.medians(x, rows, cols, 3L * rows)).containsExactly(medians);
        assertThat(Imputer.medians(x, rows, cols, 1)).containsExactly(medians);

        for (int c = 0; c < cols; c++) {
            float[] present = new float[rows];
            int n = 0;
            for (int r = 0; r < rows; r++) {
                if (!Float.isNaN(x[r * cols + c])) {
                    present[n++] = x[r * cols + c];
                }
            }
            present = Arrays.copyOf(present, n);
            Arrays.sort(present);
            float median = n == 0 ? 0f : n % 2 == 1 ? present[n / 2] : (float) (((double) present[n / 2 - 1] + present[n / 2]) / 2);
            assertThat(means[c]).as("mean of column %d", c).isEqualTo(c == 20 ? 0f : meanOf(x, c, cols, allRows(rows)));
            assertThat(medians[c]).as("median of column %d", c).isEqualTo(median);
        }
    }

    @Test
    void fillCopiesOnlyWhenSomethingIsMissing() {
        Imputer imputer = new Imputer("mean", new float[] {7, 8});
        float[] complete = {1, 2, 3, 4};
        float[] holes = {1, NAN, NAN, 4};

        assertThat(imputer.fill(complete)).isSameAs(complete);
        assertThat(imputer.fill(holes)).containsExactly(1, 8, 7, 4);
        assertThat(holes[1]).as("the original is left as it was").isNaN();
    }

    @Test
    void missingValuesTrainExactlyAsTheTrainingMeanTypedIn() {
        float[] x = new float[40 * 2];
        float[] y = new float[40];
        Random random = new Random(5);
        for (int r = 0; r < 40; r++) {
            x[2 * r] = random.nextFloat() * 4;
            x[2 * r + 1] = random.nextFloat();
            y[r] = x[2 * r] + x[2 * r + 1] > 2 ? 1 : 0;
        }
        float[] holes = x.clone();
        for (int r = 0; r < 40; r += 3) {
            holes[2 * r] = NAN;
        }
        Network withHoles = network();
        Trainer.fit(withHoles, new Examples(holes, y, 40, 2, 1), config(0), null);
        float mean = withHoles.imputer().values()[0];
        float[] byHand = holes.clone();
        for (int i = 0; i < byHand.length; i++) {
            byHand[i] = Float.isNaN(byHand[i]) ? mean : byHand[i];
        }
        Network typedIn = network();
        Trainer.fit(typedIn, new Examples(byHand, y, 40, 2, 1), config(0), null);

        assertThat(mean).isEqualTo(meanOf(holes, 0, 2, allRows(40)));
        assertThat(flatWeights(withHoles)).containsExactly(flatWeights(typedIn));
        float[] query = {NAN, 0.5f};
        assertThat(withHoles.predict(query, 1)).containsExactly(withHoles.predict(new float[] {mean, 0.5f}, 1));
    }

    @Test
    void fillValuesAreFittedOnTheTrainingRowsOnlyAfterTheValidationSplit() {
        int rows = 20;
        float[] x = new float[rows];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[r] = r % 4 == 0 ? NAN : r; // the held-out rows' values would change the mean
            y[r] = r;
        }
        Network network = Network.create(new NetworkSpec(1, List.of(new LayerSpec(1, "linear")), "mse", "glorot_uniform", 1));
        Trainer.fit(network, new Examples(x, y, rows, 1, 1), config(0.5), null, Imputer.Statistic.MEDIAN);

        // The split is the trainer's: a seeded permutation whose first half trains.
        int[] order = Trainer.permutation(rows, new Random(11));
        int[] trainRows = Arrays.copyOfRange(order, 0, rows / 2);
        float[] present = new float[trainRows.length];
        int n = 0;
        for (int r : trainRows) {
            if (!Float.isNaN(x[r])) {
                present[n++] = x[r];
            }
        }
        present = Arrays.copyOf(present, n);
        Arrays.sort(present);
        float median = present.length % 2 == 1 ? present[present.length / 2]
                : (float) (((double) present[present.length / 2 - 1] + present[present.length / 2]) / 2);
        float allRowsMedian = Imputer.fit(x, rows, 1, Imputer.Statistic.MEDIAN).values()[0];

        assertThat(network.imputer().statistic()).isEqualTo("median");
        assertThat(network.imputer().values()[0]).isEqualTo(median);
        assertThat(median).as("the test means something: all rows would give another value").isNotEqualTo(allRowsMedian);
    }

    @Test
    void theFillValuesSurviveTheStateAndOldStatesHaveNone() {
        Network network = network();
        network.setImputer(new Imputer("mean", new float[] {0.25f, -3f}));

        Network back = Network.fromState(network.state());
        NetworkState s = network.state();
        Network old = Network.fromState(new NetworkState(s.inputs(), s.loss(), s.initializer(), s.seed(), s.layers(),
                s.inputScaling(), s.targetScaling(), s.classes()));

        assertThat(back.imputer().values()).containsExactly(0.25f, -3f);
        assertThat(back.predict(new float[] {NAN, NAN}, 1)).containsExactly(network.predict(new float[] {0.25f, -3f}, 1));
        assertThat(old.imputer()).isNull();
    }

    private static Network network() {
        return Network.create(new NetworkSpec(2, List.of(new LayerSpec(5, "tanh"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 3));
    }

    private static TrainingConfig config(double validationSplit) {
        return TrainingConfig.builder().epochs(5).batchSize(8).optimizer(OptimizerSpec.adam(0.01))
                .validationSplit(validationSplit).seed(11).build();
    }

    private static int[] allRows(int n) {
        int[] rows = new int[n];
        Arrays.setAll(rows, i -> i);
        return rows;
    }

    private static float meanOf(float[] x, int column, int width, int[] rows) {
        double sum = 0;
        int n = 0;
        for (int r : rows) {
            float v = x[r * width + column];
            if (!Float.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return (float) (sum / n);
    }

    private static float[] flatWeights(Network network) {
        return network.parameters().stream().map(p -> p.value().data.clone()).reduce(new float[0], (a, b) -> {
            float[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        });
    }
}
