package org.mlpservice.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.FMatrixRMaj;
import org.mlpservice.engine.MatrixOps;

/**
 * EJML's products, counting the mini-batches of a 2-input network (one first-layer forward
 * product each, when no later layer has 2 units) and optionally sleeping in each, so a test can hold
 * a training job or a search running and see how many mini-batches ran after it asked to cancel.
 */
public final class CountingOps implements MatrixOps {

    private final MatrixOps ejml = MatrixOps.ejml();
    private final AtomicInteger batches = new AtomicInteger();
    private final long sleepMillis;

    public CountingOps(long sleepMillis) {
        this.sleepMillis = sleepMillis;
    }

    public int batches() {
        return batches.get();
    }

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (a.numCols == 2) { // the input (batch, 2) times the first kernel: one per mini-batch forward pass
            batches.incrementAndGet();
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        ejml.mult(a, b, c);
    }

    @Override
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        ejml.multTransA(a, b, c);
    }

    @Override
    public void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        ejml.multTransB(a, b, c);
    }

    @Override
    public String name() {
        return "counting";
    }
}
