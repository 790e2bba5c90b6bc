package org.mlpservice.engine.kernel;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.mlpservice.engine.MatrixOps;

/** {@link MatrixOps} on EJML's {@code CommonOps_FDRM}: portable, deterministic, single-threaded. */
final class EjmlMatrixOps implements MatrixOps {

    static final EjmlMatrixOps INSTANCE = new EjmlMatrixOps();

    private EjmlMatrixOps() {
    }

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        CommonOps_FDRM.mult(a, b, c);
    }

    @Override
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        CommonOps_FDRM.multTransA(a, b, c);
    }

    @Override
    public void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        CommonOps_FDRM.multTransB(a, b, c);
    }

    @Override
    public String name() {
        return "ejml";
    }
}
