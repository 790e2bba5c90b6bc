package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.Generators;

/**
 * Log-loss, ROC AUC and macro-F1 against figures computed by hand (and, where noted, the values
 * scikit-learn's {@code log_loss}, {@code roc_auc_score} and {@code f1_score(average="macro")}
 * give for the same inputs: the examples of their documentation, worked out below).
 */
class ClassificationMetricsTest {

    private static MetricAccumulator binary(float[] scores, float[] labels) {
        MetricAccumulator m = new MetricAccumulator(true, 1, scores.length);
        m.add(new FMatrixRMaj(scores.length, 1, true, scores), new FMatrixRMaj(labels.length, 1, true, labels), 0);
        return m;
    }

    private static Double auc(float[] scores, float[] labels) {
        return binary(scores, labels).auc();
    }

    @Test
    void thePredictedClassIsTheFirstLargestScore() {
        float[] rows = {0.2f, 0.4f, 0.4f, /**/ -3f, -1f, -2f, /**/ 0.5f, 0.5f, 0.5f, /**/ Float.NaN, 1f, 2f, /**/ 0f, 0f, 1f};
        assertThat(MetricAccumulator.argmax(rows, 0, 3)).isEqualTo(1);
        assertThat(MetricAccumulator.argmax(rows, 3, 3)).isEqualTo(1);
        assertThat(MetricAccumulator.argmax(rows, 6, 3)).isEqualTo(0);
        assertThat(MetricAccumulator.argmax(rows, 9, 3)).as("a NaN first stays the answer, as the test against it never holds").isZero();
        assertThat(MetricAccumulator.argmax(rows, 12, 3)).isEqualTo(2);
        // accuracy and log-loss over those rows, against one-hot truths 1, 2, 0, 2, 2
        float[] truth = {0, 1, 0, /**/ 0, 0, 1, /**/ 1, 0, 0, /**/ 0, 0, 1, /**/ 0, 0, 1};
        MetricAccumulator m = new MetricAccumulator(true, 3, 5);
        m.add(new FMatrixRMaj(5, 3, true, rows), new FMatrixRMaj(5, 3, true, truth), 0);
        assertThat(m.accuracy()).isEqualTo(3 / 5.0); // rows 1, 3 and 5 are right
        // the true class's score, clipped to [ε, 1 − ε]: 0.4, −2 → ε, 0.5, 2 → 1 − ε, 1 → 1 − ε
        double eps = Loss.EPSILON;
        double expected = -(Math.log(0.4f) + Math.log(eps) + Math.log(0.5f) + 2 * Math.log(1 - eps)) / 5;
        assertThat(m.logLoss()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void aucIsTheFractionOfPositiveNegativePairsRankedRight() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75 (scikit-learn's docs): of the 4
        // pairs, only (0.35 positive, 0.4 negative) is ranked wrong.
        assertThat(auc(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1})).isEqualTo(0.75);
        assertThat(auc(new float[] {0.9f, 0.8f, 0.1f, 0.2f}, new float[] {1, 1, 0, 0})).isEqualTo(1.0);
        assertThat(auc(new float[] {0.9f, 0.8f, 0.1f, 0.2f}, new float[] {0, 0, 1, 1})).isEqualTo(0.0);
    }

    @Test
    void aTieBetweenAPositiveAndANegativeCountsOneHalf() {
        // Positives 0.5 and 0.8, negatives 0.5, 0.2, 0.5. The positive 0.5 beats 0.2 and ties the two
        // 0.5s (1 + ½ + ½ = 2), the positive 0.8 beats all three: 5 of 6 pairs. roc_auc_score says 0.8333.
        assertThat(auc(new float[] {0.5f, 0.5f, 0.2f, 0.8f, 0.5f}, new float[] {1, 0, 0, 1, 0}))
                .isCloseTo(5.0 / 6, within(1e-15));
        // Every score equal: no ranking at all, one half.
        assertThat(auc(new float[] {0.3f, 0.3f, 0.3f, 0.3f}, new float[] {1, 0, 1, 0})).isEqualTo(0.5);
        // −0 and 0 are the same score; negative scores rank below positive ones.
        assertThat(auc(new float[] {-0.0f, 0.0f, -2f, 3f}, new float[] {1, 0, 0, 1})).isEqualTo(0.875);
    }

    @Test
    void aucIsUndefinedWithOneClassOnly() {
        assertThat(auc(new float[] {0.1f, 0.7f}, new float[] {1, 1})).isNull();
        assertThat(auc(new float[] {0.1f, 0.7f}, new float[] {0, 0})).isNull();
    }

    @Test
    void aucEqualsCountingEveryPairOnScoresWithManyTies() {
        Random random = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(300);
            float[] s = new float[n];
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                s[i] = random.nextInt(12) / 11f; // 12 distinct scores: ties everywhere
                t[i] = random.nextBoolean() ? 1 : 0;
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (t[i] == 1 && t[j] == 0) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            Double expected = pairs == 0 ? null : wins / pairs;
            if (expected == null) {
                assertThat(auc(s, t)).isNull();
            } else {
                assertThat(auc(s, t)).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void aTwoUnitSoftmaxRanksTheSecondClasssProbability() {
        // The 2-softmax form of the first example: p(class 1) = 0.1, 0.4, 0.35, 0.8.
        float[] y = {0.9f, 0.1f, 0.6f, 0.4f, 0.65f, 0.35f, 0.2f, 0.8f};
        float[] t = {1, 0, 1, 0, 0, 1, 0, 1};
        MetricAccumulator m = new MetricAccumulator(true, 2, 4);
        m.add(new FMatrixRMaj(4, 2, true, y), new FMatrixRMaj(4, 2, true, t), 0);
        assertThat(m.auc()).isEqualTo(0.75);
        assertThat(m.accuracy()).isEqualTo(0.75); // only the positive at 0.35 is on the wrong side of 0.5
    }

    @Test
    void aucIsNotMeasuredForMoreThanTwoClassesNorWithoutABuffer() {
        MetricAccumulator three = new MetricAccumulator(true, 3, 10);
        three.add(new FMatrixRMaj(1, 3, true, 0.2f, 0.3f, 0.5f), new FMatrixRMaj(1, 3, true, 0, 0, 1), 0);
        assertThat(three.auc()).isNull();
        assertThat(three.macroF1()).isNotNull();
        MetricAccumulator unbuffered = new MetricAccumulator(true, 1);
        unbuffered.add(new FMatrixRMaj(2, 1, true, 0.2f, 0.9f), new FMatrixRMaj(2, 1, true, 0, 1), 0);
        assertThat(unbuffered.auc()).isNull();
    }

    @Test
    void logLossIsTheMeanMinusLogOfTheTrueClasssProbability() {
        // log_loss([1, 0, 0], [0.9, 0.2, 0.6]) = −(ln 0.9 + ln 0.8 + ln 0.4) / 3 = 0.414932
        assertThat(binary(new float[] {0.9f, 0.2f, 0.6f}, new float[] {1, 0, 0}).logLoss()).isCloseTo(0.414932, within(1e-6));
        // Three classes: −(ln 0.7 + ln 0.3) / 2 = 0.780324
        MetricAccumulator m = new MetricAccumulator(true, 3);
        m.add(new FMatrixRMaj(2, 3, true, 0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f), new FMatrixRMaj(2, 3, true, 1, 0, 0, 0, 1, 0), 0);
        assertThat(m.logLoss()).isCloseTo(0.780324, within(1e-6));
        // A certain mistake is clipped at ε = 1e-7: −ln(1e-7) = 16.118096, not infinity.
        assertThat(binary(new float[] {0f}, new float[] {1}).logLoss()).isCloseTo(16.118096, within(1e-5));
    }

    @Test
    void macroF1IsTheMeanOfTheClassesF1() {
        // f1_score([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], average="macro"):
        // class 0: 2·2 / (2 predicted + 3 true) = 0.8; class 1: 2·1 / (2 + 2) = 0.5; class 2: 2·1 / (2 + 1) = 2/3;
        // mean 0.655556.
        int[] truth = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 0, 1, 1, 2, 2};
        float[] y = new float[18];
        float[] t = new float[18];
        for (int r = 0; r < 6; r++) {
            y[r * 3 + predicted[r]] = 0.8f;
            t[r * 3 + truth[r]] = 1;
        }
        MetricAccumulator m = new MetricAccumulator(true, 3);
        m.add(new FMatrixRMaj(6, 3, true, y), new FMatrixRMaj(6, 3, true, t), 0);
        assertThat(m.macroF1()).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
        assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
        // A class that is neither true nor predicted is left out of the mean, as scikit-learn does.
        assertThat(MetricAccumulator.macroF1(new long[] {3, 1, 0, 0, 2, 0, 0, 0, 0}, 3))
                .isCloseTo((2.0 * 3 / (3 + 4) + 2.0 * 2 / (3 + 2)) / 2, within(1e-12));
    }

    @Test
    void evaluationOfATrainedNetworkReportsTheMetricsItsPredictionsGive() {
        Examples circles = TestData.binary(Generators.circles(200, 0.2, 0.5, 1));
        Network network = Network.create(new NetworkSpec(2, List.of(new LayerSpec(8, "tanh"), new LayerSpec(1, "sigmoid")),
                "binary_crossentropy", "glorot_uniform", 1));
        Trainer.fit(network, circles, TrainingConfig.builder().epochs(20).batchSize(16).optimizer(OptimizerSpec.adam(0.01))
                .seed(1).build(), TrainingListener.NONE);

        Evaluation e = Evaluation.of(network, circles);

        float[] p = network.predict(circles.x(), circles.rows());
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < circles.rows(); i++) {
            for (int j = 0; j < circles.rows(); j++) {
                if (circles.y()[i] == 1 && circles.y()[j] == 0) {
                    pairs++;
                    wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(e.auc()).isCloseTo(wins / pairs, within(1e-12));
        // For a binary_crossentropy network the log-loss is its loss (the same clipping).
        assertThat(e.logLoss()).isCloseTo(e.loss(), within(1e-6));
        assertThat(e.macroF1()).isCloseTo((e.f1()[0] + e.f1()[1]) / 2, within(1e-12));
    }
}
