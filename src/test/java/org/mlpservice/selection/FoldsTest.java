package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.mlpservice.engine.Examples;

/** The fold splitter: seeded, disjoint, covering, and stratified for classification. */
class FoldsTest {

    @Test
    void theLecturesCirclesSplitIntoFiveStratifiedFoldsOf20() {
        Examples circles = SearchFixtures.circles(100).examples();

        int[][] folds = Folds.split(circles, true, 5, 0);

        assertDisjointAndCovering(folds, 100);
        for (int[] fold : folds) {
            assertThat(fold).hasSize(20);
            assertThat(classCounts(circles, fold)).containsExactly(10, 10); // 50 + 50 rows spread evenly
        }
    }

    @Test
    void irisFoldsHoldTenOfEachSpecies() {
        Examples iris = SearchFixtures.iris().examples();

        int[][] folds = Folds.split(iris, true, 5, 7);

        assertDisjointAndCovering(folds, 150);
        for (int[] fold : folds) {
            assertThat(classCounts(iris, fold)).containsExactly(10, 10, 10);
        }
    }

    @Test
    void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
        Examples iris = SearchFixtures.iris().examples();

        assertThat(Folds.split(iris, true, 5, 3)).isDeepEqualTo(Folds.split(iris, true, 5, 3));
        assertThat(Arrays.deepEquals(Folds.split(iris, true, 5, 4), Folds.split(iris, true, 5, 3))).isFalse();
    }

    @Test
    void regressionFoldsAreShuffledRunsOfNearlyEqualSize() {
        Examples plane = SearchFixtures.plane(23).examples();

        int[][] folds = Folds.split(plane, false, 5, 0);

        assertDisjointAndCovering(folds, 23);
        assertThat(Arrays.stream(folds).mapToInt(f -> f.length)).containsExactlyInAnyOrder(5, 5, 5, 4, 4);
        assertThat(folds[0]).as("shuffled, not the first rows in order").isNotEqualTo(new int[] {0, 1, 2, 3, 4});
    }

    @Test
    void theComplementOfAFoldIsEveryOtherRow() {
        assertThat(Folds.complement(new int[] {1, 4}, 6)).containsExactly(0, 2, 3, 5);
    }

    @Test
    void classCountsFollowTheOutputOrder() {
        assertThat(Folds.classCounts(SearchFixtures.iris().examples())).containsExactly(50, 50, 50);
        assertThat(Folds.classCounts(SearchFixtures.circles(100).examples())).containsExactly(50, 50);
    }

    @Test
    void kMustBeBetweenTwoAndTheRows() {
        Examples plane = SearchFixtures.plane(4).examples();

        assertThatThrownBy(() -> Folds.split(plane, false, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Folds.split(plane, false, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertDisjointAndCovering(Folds.split(plane, false, 4, 0), 4); // leave-one-out
    }

    /** Any class sizes, any k up to the smallest class: disjoint, covering, each class and the fold sizes even. */
    @Property(tries = 200)
    void stratifiedFoldsAreDisjointCoveringAndEven(@ForAll @IntRange(min = 2, max = 5) int classes,
                                                   @ForAll @IntRange(min = 2, max = 40) int smallest,
                                                   @ForAll @IntRange(min = 0, max = 60) int extra,
                                                   @ForAll @IntRange(min = 2, max = 40) int k,
                                                   @ForAll long seed) {
        int folds = Math.min(k, smallest);
        int[] sizes = IntStream.range(0, classes).map(c -> smallest + (c * extra) / classes).toArray();
        Examples data = oneHot(sizes, seed);

        int[][] split = Folds.split(data, true, folds, seed);

        assertDisjointAndCovering(split, data.rows());
        int[][] perFold = Arrays.stream(split).map(f -> classCounts(data, f)).toArray(int[][]::new);
        for (int c = 0; c < classes; c++) {
            int cls = c;
            int[] counts = Arrays.stream(perFold).mapToInt(f -> f[cls]).toArray();
            assertThat(max(counts) - min(counts)).as("class %d spread over the folds", c).isLessThanOrEqualTo(1);
        }
        int[] foldSizes = Arrays.stream(split).mapToInt(f -> f.length).toArray();
        assertThat(max(foldSizes) - min(foldSizes)).isLessThanOrEqualTo(1);
    }

    // --- helpers ---

    static void assertDisjointAndCovering(int[][] folds, int rows) {
        int[] all = Arrays.stream(folds).flatMapToInt(Arrays::stream).sorted().toArray();
        assertThat(all).as("every row exactly once").containsExactly(IntStream.range(0, rows).toArray());
    }

    /** Rows of each class in the fold (classes in output order; one column = 0/1). */
    static int[] classCounts(Examples data, int[] fold) {
        int outputs = data.outputs();
        int[] counts = new int[outputs == 1 ? 2 : outputs];
        for (int row : fold) {
            if (outputs == 1) {
                counts[data.y()[row] >= 0.5f ? 1 : 0]++;
            } else {
                for (int c = 0; c < outputs; c++) {
                    if (data.y()[row * outputs + c] == 1f) {
                        counts[c]++;
                    }
                }
            }
        }
        return counts;
    }

    /** Rows of the given class sizes, in a seeded random order; one-hot targets (0/1 for two classes). */
    private static Examples oneHot(int[] sizes, long seed) {
        int rows = Arrays.stream(sizes).sum();
        int outputs = sizes.length == 2 ? 1 : sizes.length;
        int[] labels = new int[rows];
        int at = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                labels[at++] = c;
            }
        }
        java.util.Random random = new java.util.Random(seed);
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = labels[i];
            labels[i] = labels[j];
            labels[j] = tmp;
        }
        float[] y = new float[rows * outputs];
        for (int r = 0; r < rows; r++) {
            if (outputs == 1) {
                y[r] = labels[r];
            } else {
                y[r * outputs + labels[r]] = 1f;
            }
        }
        return new Examples(new float[rows], y, rows, 1, outputs);
    }

    private static int max(int[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    private static int min(int[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }
}
