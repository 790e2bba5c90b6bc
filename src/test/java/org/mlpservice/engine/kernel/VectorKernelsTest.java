package org.mlpservice.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.mlpservice.engine.MatrixOps;

/**
 * The vector kernel gives the bits of the plain-Java loops for every shape its paths meet: row
 * counts around its tile (8 or 6 rows), the 4-row and single-row tails, the packed panels (from
 * {@link VectorKernels#PACK_MIN_ROWS} rows) with inner dimensions around the block {@link VectorKernels#KC},
 * column counts around 1 and 2 vectors, and narrower than one. Run three times by the build: on the CPU's
 * own vector length, with {@code -XX:UseAVX=2 -XX:MaxVectorSize=32} (the pom's second surefire
 * execution), which gives the 256-bit path with 16 registers and its 6-row tile, and with
 * {@code -XX:MaxVectorSize=16} (the third): 4 lanes, where a 6-row tile is wider than a vector.
 */
class VectorKernelsTest {

    private static final int L = VectorKernels.L;
    private static final int KC = VectorKernels.KC;

    @Test
    void everyProductGivesTheBitsOfThePlainLoopsAroundTilesTailsAndBlocks() {
        MatrixOps java = MatrixOps.select("java", 1);
        List<MatrixOps> vector = List.of(MatrixOps.select("vector", 1), MatrixOps.select("vector", 2));
        Random random = new Random(5);
        int[] rows = {1, 4, 5, 6, 7, 8, 11, 16, 17, 20, 23, 32, 40, 64, 70}; // 8, 20, 32: 6-row tiles leave 2
        int[] inner = {1, 9, KC - 1, KC, KC + 7, 2 * KC + 3};
        int[] cols = {L - 3, L, L + 5, 2 * L, 2 * L + 1, 4 * L, 5 * L + 3};
        for (int m : rows) {
            for (int k : inner) {
                for (int n : cols) {
                    FMatrixRMaj a = filled(m, k, random);
                    FMatrixRMaj b = filled(k, n, random);
                    FMatrixRMaj at = filled(k, m, random);
                    FMatrixRMaj bt = filled(n, k, random);
                    FMatrixRMaj expected = new FMatrixRMaj(m, n);
                    FMatrixRMaj expectedTransA = new FMatrixRMaj(m, n);
                    FMatrixRMaj expectedTransB = new FMatrixRMaj(m, n);
                    java.mult(a, b, expected);
                    java.multTransA(at, b, expectedTransA);
                    java.multTransB(a, bt, expectedTransB);
                    for (MatrixOps ops : vector) {
                        FMatrixRMaj c = new FMatrixRMaj(m, n);
                        ops.mult(a, b, c);
                        assertThat(c.data).as("a·b %dx%d·%dx%d on %s", m, k, k, n, ops.describe()).isEqualTo(expected.data);
                        ops.multTransA(at, b, c);
                        assertThat(c.data).as("aᵀ·b %d %d %d on %s", m, k, n, ops.describe()).isEqualTo(expectedTransA.data);
                        ops.multTransB(a, bt, c);
                        assertThat(c.data).as("a·bᵀ %d %d %d on %s", m, k, n, ops.describe()).isEqualTo(expectedTransB.data);
                    }
                }
            }
        }
    }

    /**
     * A narrow gradient aᵀ·b (n = 10) of every size: on one thread computed as its transpose (lanes
     * along m, packed panels from 16 rows on), on the team padded and split by rows; bits of the plain loops.
     */
    @Test
    void narrowGradientsGiveTheBitsOfThePlainLoopsOnOneThreadAndOnTheTeam() {
        MatrixOps java = MatrixOps.select("java", 1);
        List<MatrixOps> vector = List.of(MatrixOps.select("vector", 1), MatrixOps.select("vector", 2));
        Random random = new Random(13);
        int[][] shapes = {{64, 32, 10}, {3 * L + 5, KC + 9, 10}, {256, 1024, 10}, {100, 7000, 3}}; // m, k, n; the last two reach the team
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            FMatrixRMaj at = filled(k, m, random);
            FMatrixRMaj b = filled(k, n, random);
            FMatrixRMaj expected = new FMatrixRMaj(m, n);
            java.multTransA(at, b, expected);
            for (MatrixOps ops : vector) {
                FMatrixRMaj c = new FMatrixRMaj(m, n);
                ops.multTransA(at, b, c);
                assertThat(c.data).as("aᵀ·b %d %d %d on %s", m, k, n, ops.describe()).isEqualTo(expected.data);
            }
        }
    }

    /** Stacked blocks continue each element's chain in c: packed, padded (narrow) and partial-vector columns alike. */
    @Test
    void stackedProductsGiveTheBitsOfOneProductOverAllBlocks() {
        MatrixOps java = MatrixOps.select("java", 1);
        MatrixOps vector = MatrixOps.select("vector", 1);
        Random random = new Random(9);
        for (int m : new int[] {5, 24, 70, 130}) {
            for (int n : new int[] {Math.max(1, L - 6), L, L + 2, 2 * L + 3, 4 * L}) {
                FMatrixRMaj[] x = {filled(64, m, random), filled(KC + 3, m, random), filled(7, m, random)};
                FMatrixRMaj[] d = {filled(64, n, random), filled(KC + 3, n, random), filled(7, n, random)};
                FMatrixRMaj expected = new FMatrixRMaj(m, n);
                FMatrixRMaj c = new FMatrixRMaj(m, n);
                java.multTransAStacked(x, d, 3, expected, 0, m);
                vector.multTransAStacked(x, d, 3, c, 0, m);
                assertThat(c.data).as("stacked m %d n %d", m, n).isEqualTo(expected.data);
                // Rows split as the sharded step's chunks split them: rows [i0, i1) only, the same bits.
                FMatrixRMaj part = new FMatrixRMaj(m, n);
                vector.multTransAStacked(x, d, 3, part, 0, m / 2);
                vector.multTransAStacked(x, d, 3, part, m / 2, m);
                assertThat(part.data).as("stacked in two row ranges, m %d n %d", m, n).isEqualTo(expected.data);
            }
        }
    }

    @Test
    void flushingSubnormalsZeroesExactlyTheSubnormalsOfTheRangeOnEveryLane() {
        float[] specials = {Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL / 2, -Float.MIN_NORMAL / 3,
            Math.nextDown(Float.MIN_NORMAL), Float.MIN_NORMAL, -Float.MIN_NORMAL, 0f, -0f, 1e-30f, -2.5f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        Random random = new Random(17);
        MatrixOps vector = MatrixOps.select("vector", 1);
        int big = VectorKernels.FLUSH_VECTOR_MIN; // from here on the sweep runs on vectors
        for (int size : new int[] {1, L - 1, L, 3 * L + 5, big, big + 3 * L + 5}) {
            for (int from = 0; from <= Math.min(3, size); from++) {
                int to = Math.max(from, size - (from == 0 ? 0 : 1));
                float[] a = new float[size];
                for (int i = 0; i < size; i++) {
                    a[i] = random.nextInt(3) == 0 ? (float) random.nextGaussian() : specials[random.nextInt(specials.length)];
                }
                float[] flushed = a.clone();
                vector.flushSubnormals(flushed, from, to);
                for (int i = 0; i < size; i++) {
                    float x = a[i];
                    boolean subnormal = x != 0f && Math.abs(x) < Float.MIN_NORMAL;
                    int expected = Float.floatToRawIntBits(i >= from && i < to && subnormal ? 0f : x);
                    assertThat(Float.floatToRawIntBits(flushed[i])).as("size=%d [%d, %d) at %d: %s", size, from, to, i, x).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void sumsOfRowsGiveTheBitsOfThePlainLoopForEveryWidth() {
        Random random = new Random(13);
        MatrixOps plain = MatrixOps.select("java", 1); // MatrixOps' default: the plain loop
        MatrixOps vector = MatrixOps.select("vector", 1);
        for (int rows : new int[] {1, 7, 32, 129}) {
            for (int cols : new int[] {1, L - 1, L, L + 3, 4 * L, 4 * L + 1, 5 * L + 7, 256}) {
                float[] d = new float[rows * cols];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3)); // rounding that depends on the order
                }
                float[] start = new float[cols];
                for (int c = 0; c < cols; c++) {
                    start[c] = (float) random.nextGaussian();
                }
                float[] expected = start.clone();
                plain.addRows(d, rows, cols, expected);
                float[] sum = start.clone();
                vector.addRows(d, rows, cols, sum);
                assertThat(sum).as("rows=%d cols=%d", rows, cols).isEqualTo(expected);
                float[] byHand = start.clone();
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        byHand[c] += d[r * cols + c];
                    }
                }
                assertThat(expected).as("the plain loop sums row after row, rows=%d cols=%d", rows, cols).isEqualTo(byHand);
            }
        }
    }

    @Test
    void theTileFitsTheRegistersTheJvmHas() {
        assertThat(Registers.tileRows(16)).as("6 rows × 2 vectors: 12 accumulators + 2 loads + a broadcast").isEqualTo(6);
        assertThat(Registers.tileRows(32)).isEqualTo(8);
        assertThat(VectorKernels.ROWS).isEqualTo(Registers.tileRows(VectorKernels.REGISTERS));
        assertThat(MatrixOps.select("vector", 1).describe()).containsEntry("tile", VectorKernels.ROWS + "x" + 2 * L);
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (flags.contains("-XX:UseAVX=2") && System.getProperty("os.arch").equals("amd64")) {
            // The build's second and third surefire executions: the AVX2 path (and its 128-bit
            // vectors with MaxVectorSize=16), whatever CPU runs it.
            assertThat(L).isEqualTo(flags.contains("-XX:MaxVectorSize=16") ? 4 : 8);
            assertThat(VectorKernels.REGISTERS).isEqualTo(16);
            assertThat(VectorKernels.ROWS).isEqualTo(6);
        }
    }

    @Test
    void cacheSizesAreReadFromSysfsSizesOrFallBack() {
        assertThat(CacheSizes.parse("48K\n")).isEqualTo(48 * 1024);
        assertThat(CacheSizes.parse("2M")).isEqualTo(2 * 1024 * 1024);
        assertThat(CacheSizes.parse("65536")).isEqualTo(65536);
        assertThat(CacheSizes.parse("lots")).isZero();
        assertThat(CacheSizes.L1D).isPositive();
        assertThat(CacheSizes.L2).isGreaterThanOrEqualTo(CacheSizes.L1D);
        assertThat(VectorKernels.KC * 2 * L * Float.BYTES).as("a panel fits half of L1").isLessThanOrEqualTo(Math.max(CacheSizes.L1D / 2, 64 * 2 * L * Float.BYTES));
    }

    private static FMatrixRMaj filled(int rows, int cols, Random random) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (float) random.nextGaussian();
        }
        return m;
    }
}
