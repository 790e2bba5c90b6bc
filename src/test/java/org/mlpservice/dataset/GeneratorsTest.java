package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorsTest {

    static List<String> kinds() {
        return Generators.kinds();
    }

    @Test
    void kindsListsTheSixGenerators() {
        assertThat(Generators.kinds()).containsExactly("circles", "moons", "xor", "gauss", "spiral", "plane");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shapesMatchTheRequestedSize(String kind) {
        SyntheticData data = Generators.generate(kind, 37, 0.1, 0.5, 1L);
        assertThat(data.name()).isEqualTo(kind);
        assertThat(data.rows()).isEqualTo(37);
        assertThat(data.features()).isEqualTo(2);
        assertThat(data.x()).hasSize(74);
        assertThat(data.target()).hasSize(37);
        assertThat(data.classification()).isEqualTo(!kind.equals("plane"));
        for (float v : data.x()) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void sameSeedGivesIdenticalArrays(String kind) {
        SyntheticData a = Generators.generate(kind, 200, 0.2, 0.4, 42L);
        SyntheticData b = Generators.generate(kind, 200, 0.2, 0.4, 42L);
        assertThat(a.x()).containsExactly(b.x());
        assertThat(a.target()).containsExactly(b.target());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void differentSeedGivesDifferentArrays(String kind) {
        SyntheticData a = Generators.generate(kind, 200, 0.2, 0.4, 42L);
        SyntheticData b = Generators.generate(kind, 200, 0.2, 0.4, 43L);
        assertThat(a.x()).isNotEqualTo(b.x());
    }

    @Test
    void generateIsCaseInsensitiveAndDelegates() {
        SyntheticData viaName = Generators.generate("CiRcLeS", 50, 0.1, 0.3, 7L);
        SyntheticData direct = Generators.circles(50, 0.1, 0.3, 7L);
        assertThat(viaName.x()).containsExactly(direct.x());
        assertThat(viaName.target()).containsExactly(direct.target());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 100, 101})
    void circlesWithoutNoiseLieOnTwoCirclesWithEvenlySpacedAngles(int samples) {
        double factor = 0.3;
        SyntheticData data = Generators.circles(samples, 0, factor, 5L);
        int nOut = samples / 2;
        List<Double> outerAngles = new ArrayList<>();
        List<Double> innerAngles = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            double x = data.x()[2 * i];
            double y = data.x()[2 * i + 1];
            double radius = Math.hypot(x, y);
            double angle = Math.atan2(y, x);
            angle = angle < -1e-6 ? angle + 2 * Math.PI : Math.max(angle, 0);
            if (data.target()[i] == 0f) {
                assertThat(radius).isCloseTo(1.0, within(1e-6));
                outerAngles.add(angle);
            } else {
                assertThat(data.target()[i]).isEqualTo(1f);
                assertThat(radius).isCloseTo(factor, within(1e-6));
                innerAngles.add(angle);
            }
        }
        assertThat(outerAngles).hasSize(nOut);
        assertThat(innerAngles).hasSize(samples - nOut);
        assertEvenlySpacedFromZero(outerAngles);
        assertEvenlySpacedFromZero(innerAngles);
    }

    private static void assertEvenlySpacedFromZero(List<Double> angles) {
        List<Double> sorted = angles.stream().sorted().toList();
        for (int k = 0; k < sorted.size(); k++) {
            assertThat(sorted.get(k)).isCloseTo(2 * Math.PI * k / sorted.size(), within(1e-5));
        }
    }

    @Test
    void circlesRowsAreShuffled() {
        SyntheticData data = Generators.circles(200, 0, 0.5, 3L);
        float[] firstHalf = java.util.Arrays.copyOfRange(data.target(), 0, 100);
        float[] secondHalf = java.util.Arrays.copyOfRange(data.target(), 100, 200);
        assertThat(firstHalf).contains(0f, 1f);
        assertThat(secondHalf).contains(0f, 1f);
    }

    @Test
    void circlesWithNoiseKeepEachClassNearItsRadius() {
        SyntheticData data = Generators.circles(2000, 0.15, 0.5, 11L);
        double[] sum = new double[2];
        double[] sumSq = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < data.rows(); i++) {
            int label = (int) data.target()[i];
            double r = Math.hypot(data.x()[2 * i], data.x()[2 * i + 1]);
            sum[label] += r;
            sumSq[label] += r * r;
            count[label]++;
        }
        assertThat(count).containsExactly(1000, 1000);
        double meanOuter = sum[0] / count[0];
        double meanInner = sum[1] / count[1];
        assertThat(meanOuter).isCloseTo(1.0, within(0.05));
        assertThat(meanInner).isCloseTo(0.5, within(0.05));
        // the noise really is there: radial spread close to the noise level
        double stdOuter = Math.sqrt(sumSq[0] / count[0] - meanOuter * meanOuter);
        assertThat(stdOuter).isBetween(0.1, 0.2);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 100, 101})
    void moonsWithoutNoiseLieOnTheTwoHalfCircles(int samples) {
        SyntheticData data = Generators.moons(samples, 0, 9L);
        int outer = 0;
        int inner = 0;
        boolean outerHasRightEnd = false;
        boolean innerHasLeftEnd = false;
        for (int i = 0; i < samples; i++) {
            double x = data.x()[2 * i];
            double y = data.x()[2 * i + 1];
            if (data.target()[i] == 0f) {
                outer++;
                assertThat(Math.hypot(x, y)).isCloseTo(1.0, within(1e-6));
                assertThat(y).isGreaterThanOrEqualTo(-1e-6);
                outerHasRightEnd |= Math.abs(x - 1) < 1e-6 && Math.abs(y) < 1e-6; // t = 0
            } else {
                inner++;
                assertThat(Math.hypot(x - 1, y - 0.5)).isCloseTo(1.0, within(1e-6));
                assertThat(y).isLessThanOrEqualTo(0.5 + 1e-6);
                innerHasLeftEnd |= Math.abs(x) < 1e-6 && Math.abs(y - 0.5) < 1e-6; // t = 0
            }
        }
        assertThat(outer).isEqualTo(samples / 2);
        assertThat(inner).isEqualTo(samples - samples / 2);
        assertThat(outerHasRightEnd).isTrue();
        assertThat(innerHasLeftEnd).isTrue();
    }

    @Test
    void moonsIncludeBothEndpointsOfTheOuterArc() {
        SyntheticData data = Generators.moons(10, 0, 2L);
        boolean hasLeftEnd = false;
        for (int i = 0; i < data.rows(); i++) {
            if (data.target()[i] == 0f && Math.abs(data.x()[2 * i] + 1) < 1e-6) {
                hasLeftEnd = true; // t = π: linspace includes the end point
            }
        }
        assertThat(hasLeftEnd).isTrue();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.3, 1.0})
    void xorLabelsAgreeWithTheSignOfTheProduct(double noise) {
        SyntheticData data = Generators.xor(1000, noise, 4L);
        int positives = 0;
        for (int i = 0; i < data.rows(); i++) {
            float x = data.x()[2 * i];
            float y = data.x()[2 * i + 1];
            assertThat(data.target()[i]).isEqualTo((double) x * y >= 0 ? 1f : 0f);
            if (noise == 0) {
                assertThat(Math.abs(x)).isBetween(0.3f, 5.3f);
                assertThat(Math.abs(y)).isBetween(0.3f, 5.3f);
            }
            positives += (int) data.target()[i];
        }
        assertThat(positives).isBetween(400, 600);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 200, 201})
    void spiralSizesAndLabelBalance(int samples) {
        SyntheticData data = Generators.spiral(samples, 0.2, 8L);
        assertThat(countLabel(data, 1f)).isEqualTo(samples / 2);
        assertThat(countLabel(data, 0f)).isEqualTo(samples - samples / 2);
    }

    @Test
    void spiralWithoutNoiseIsTwoPointReflectedArms() {
        SyntheticData data = Generators.spiral(200, 0, 8L);
        int n = 100;
        for (int i = 0; i < n; i++) {
            assertThat(data.target()[i]).isEqualTo(1f);
            assertThat(data.target()[n + i]).isEqualTo(0f);
            assertThat(data.x()[2 * (n + i)]).isCloseTo(-data.x()[2 * i], within(1e-5f));
            assertThat(data.x()[2 * (n + i) + 1]).isCloseTo(-data.x()[2 * i + 1], within(1e-5f));
            double radius = Math.hypot(data.x()[2 * i], data.x()[2 * i + 1]);
            assertThat(radius).isCloseTo(5.0 * i / n, within(1e-5));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 201})
    void spiralArmsEachReachOutToRadiusFiveEvenForOddCounts(int samples) {
        SyntheticData data = Generators.spiral(samples, 0, 8L);
        for (float label : new float[] {1f, 0f}) {
            List<Double> radii = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                if (data.target()[i] == label) {
                    radii.add(Math.hypot(data.x()[2 * i], data.x()[2 * i + 1]));
                }
            }
            List<Double> sorted = radii.stream().sorted().toList();
            for (int k = 0; k < sorted.size(); k++) {
                assertThat(sorted.get(k)).isCloseTo(5.0 * k / sorted.size(), within(1e-5));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 1000, 1001})
    void gaussSizesAndLabelBalance(int samples) {
        SyntheticData data = Generators.gauss(samples, 0.1, 6L);
        assertThat(countLabel(data, 1f)).isEqualTo(samples / 2);
        assertThat(countLabel(data, 0f)).isEqualTo(samples - samples / 2);
    }

    @Test
    void gaussBlobsSitAroundTheirCentresWithTheScaledVariance() {
        assertBlobs(Generators.gauss(4000, 0, 6L), Math.sqrt(0.5));
        assertBlobs(Generators.gauss(4000, 0.5, 6L), 2.0);
        assertBlobs(Generators.gauss(4000, 3.0, 6L), 2.0); // noise above 0.5 is clamped
    }

    private static void assertBlobs(SyntheticData data, double expectedStd) {
        for (float label : new float[] {1f, 0f}) {
            double centre = label == 1f ? 2 : -2;
            double sum = 0;
            double sumSq = 0;
            int n = 0;
            for (int i = 0; i < data.rows(); i++) {
                if (data.target()[i] == label) {
                    double x = data.x()[2 * i];
                    sum += x;
                    sumSq += x * x;
                    n++;
                }
            }
            double mean = sum / n;
            double std = Math.sqrt(sumSq / n - mean * mean);
            assertThat(mean).isCloseTo(centre, within(0.2));
            assertThat(std).isCloseTo(expectedStd, within(0.1 * expectedStd));
        }
    }

    @Test
    void planeWithoutNoiseIsTheScaledSum() {
        SyntheticData data = Generators.plane(500, 0, 12L);
        assertThat(data.classification()).isFalse();
        for (int i = 0; i < data.rows(); i++) {
            float x = data.x()[2 * i];
            float y = data.x()[2 * i + 1];
            assertThat(x).isBetween(-6f, 6f);
            assertThat(y).isBetween(-6f, 6f);
            assertThat(data.target()[i]).isCloseTo((x + y) / 10f, within(1e-5f));
        }
    }

    @Test
    void planeNoiseMovesTheTargetWithinItsBound() {
        SyntheticData data = Generators.plane(500, 0.5, 12L);
        int moved = 0;
        for (int i = 0; i < data.rows(); i++) {
            double clean = (data.x()[2 * i] + data.x()[2 * i + 1]) / 10.0;
            double offset = Math.abs(data.target()[i] - clean);
            assertThat(offset).isLessThanOrEqualTo(2 * 6 * 0.5 / 10 + 1e-5);
            if (offset > 0.01) {
                moved++;
            }
        }
        assertThat(moved).isGreaterThan(400);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void invalidSampleCountsAreRejected(String kind) {
        for (int samples : new int[] {0, 1, -5, 1_000_001}) {
            assertThatThrownBy(() -> Generators.generate(kind, samples, 0.1, 0.5, 1L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("samples");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void invalidNoiseIsRejected(String kind) {
        for (double noise : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> Generators.generate(kind, 100, noise, 0.5, 1L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("noise");
        }
    }

    @Test
    void circlesFactorOutsideTheOpenUnitIntervalIsRejected() {
        for (double factor : new double[] {1.5, 1.0, 0.0, -0.2, Double.NaN}) {
            assertThatThrownBy(() -> Generators.circles(100, 0.1, factor, 1L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("factor");
        }
    }

    @Test
    void factorIsIgnoredByOtherKinds() {
        assertThat(Generators.generate("moons", 10, 0.1, 1.5, 1L).rows()).isEqualTo(10);
    }

    @Test
    void unknownKindIsRejectedListingTheKnownOnes() {
        assertThatThrownBy(() -> Generators.generate("blobs", 100, 0.1, 0.5, 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blobs")
                .hasMessageContaining("circles, moons, xor, gauss, spiral, plane");
        assertThatThrownBy(() -> Generators.generate(null, 100, 0.1, 0.5, 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kind");
    }

    private static int countLabel(SyntheticData data, float label) {
        int n = 0;
        for (float t : data.target()) {
            if (t == label) {
                n++;
            }
        }
        return n;
    }
}
