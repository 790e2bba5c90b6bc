package org.mlpservice.engine;

/**
 * What a {@link TrainingListener} may change of a running fit between two mini-batches
 * ({@link TrainingListener#beforeBatch}): the next mini-batch and every later one train with the new
 * value. Each method runs on the training thread, allocates nothing unless said, and refuses (with
 * {@link IllegalArgumentException}) a value or a setting this run cannot take.
 */
public interface TrainingControls {

    /** The optimizer's step size; a learning-rate schedule sets its own again at the next epoch. */
    void setLearningRate(double learningRate);

    /** SGD's or RMSprop's momentum, in [0, 1); the first non-zero one allocates its velocities. */
    void setMomentum(double momentum);

    /** The L1 and L2 penalties on the kernels, ≥ 0. */
    void setPenalties(double l1, double l2);

    /** The dropout rate of every hidden layer that has dropout, in [0, 1) (0 keeps the layer and drops nothing). */
    void setHiddenDropout(double rate);
}
