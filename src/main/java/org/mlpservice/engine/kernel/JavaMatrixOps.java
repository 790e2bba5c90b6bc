package org.mlpservice.engine.kernel;

import org.ejml.data.FMatrixRMaj;
import org.mlpservice.engine.MatrixOps;

/**
 * {@link MatrixOps} on {@link JavaKernels}: plain Java loops that C2 vectorizes, needing no JVM
 * flag. The fast backend where the Vector API module is absent; bit-identical to
 * {@link VectorMatrixOps}. Large products are split by rows among a {@link RowTeam}.
 */
final class JavaMatrixOps implements MatrixOps {

    private static final int ROWS = 8;

    private final RowTeam team;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    // The product the team is running; written only by the team's holder.
    private float[] pa;
    private float[] pb;
    private float[] pc;
    private boolean pTransA;
    private int pm;
    private int pn;
    private int pk;
    private final Range part = (from, to) -> rows(pa, pb, pc, pTransA, pm, pn, pk, from, to);

    JavaMatrixOps(int threads) {
        this.team = threads > 1 ? new RowTeam(threads) : null;
    }

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        c.reshape(a.numRows, b.numCols);
        product(a.data, b.data, c.data, false, a.numRows, b.numCols, a.numCols);
    }

    @Override
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        c.reshape(a.numCols, b.numCols);
        product(a.data, b.data, c.data, true, a.numCols, b.numCols, a.numRows);
    }

    @Override
    public void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        c.reshape(m, n);
        if ((long) m * n * k < VectorMatrixOps.SMALL) {
            JavaKernels.multTransB(a.data, b.data, c.data, m, n, k);
            return;
        }
        float[] bt = JavaKernels.scratch(scratch, k * n); // (k, n)
        JavaKernels.transpose(b.data, bt, n, k);
        product(a.data, bt, c.data, false, m, n, k);
    }

    private void product(float[] a, float[] b, float[] c, boolean transA, int m, int n, int k) {
        if (team != null && (long) m * n * k >= VectorMatrixOps.PARALLEL && team.tryAcquire()) {
            try {
                pa = a;
                pb = b;
                pc = c;
                pTransA = transA;
                pm = m;
                pn = n;
                pk = k;
                team.run(part, m, ROWS);
            } finally {
                pa = null;
                pb = null;
                pc = null;
                team.release();
            }
            return;
        }
        rows(a, b, c, transA, m, n, k, 0, m);
    }

    private static void rows(float[] a, float[] b, float[] c, boolean transA, int m, int n, int k, int i0, int i1) {
        if (transA) {
            JavaKernels.multTransA(a, b, c, m, n, k, i0, i1);
        } else {
            JavaKernels.mult(a, b, c, n, k, i0, i1);
        }
    }

    @Override
    public void multTransAStacked(FMatrixRMaj[] a, FMatrixRMaj[] b, int count, FMatrixRMaj c, int i0, int i1) {
        int m = a[0].numCols;
        int n = b[0].numCols;
        for (int s = 0; s < count; s++) {
            JavaKernels.multTransA(a[s].data, b[s].data, c.data, m, n, a[s].numRows, i0, i1, s > 0);
        }
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void parallelFor(int units, int granule, long work, Range body) {
        RowTeam.parallelFor(team, units, granule, work, body);
    }

    @Override
    public boolean stacks() {
        return true;
    }

    @Override
    public int threads() {
        return team == null ? 1 : team.threads();
    }
}
