package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/**
 * The three matrix products of a dense layer's forward and backward pass. Kept behind this small
 * interface so a faster backend can replace EJML without touching the layers. Implementations
 * reshape {@code c} (which must have the capacity) and never allocate.
 */
public interface MatrixOps {

    /** c = a · b; a (m, k), b (k, n), c (m, n). */
    void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = aᵀ · b; a (k, m), b (k, n), c (m, n). */
    void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** c = a · bᵀ; a (m, k), b (n, k), c (m, n). */
    void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** A short name for logs and benchmark output. */
    String name();

    /** The backend that always works: EJML's single-threaded row-major kernels. */
    static MatrixOps ejml() {
        return EjmlMatrixOps.INSTANCE;
    }
}
