/**
 * The multi-layer-perceptron engine: dense layers, activations, losses, optimizers and the
 * mini-batch training loop, in float32 over EJML's {@code FMatrixRMaj}.
 *
 * <p>The math is here, written as the lecture writes it: {@code DenseLayer}'s
 * forward pass and gradients, the backward pass in {@link org.mlpservice.engine.Workspace}, one
 * update rule per {@link org.mlpservice.engine.Optimizer} subclass. The matrix backends, vector
 * kernels and threads are in the internal {@code engine.kernel}, reached only through
 * {@link org.mlpservice.engine.MatrixOps}.
 *
 * <p>Plain Java and EJML only: no Spring type may be imported here (an ArchUnit test keeps it so),
 * so the engine could be published as a library of its own.
 */
package org.mlpservice.engine;
