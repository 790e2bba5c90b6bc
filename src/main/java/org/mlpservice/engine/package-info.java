/**
 * The multi-layer-perceptron engine: dense layers, activations, losses, optimizers and the
 * mini-batch training loop, in float32 over EJML's {@code FMatrixRMaj}.
 *
 * <p>Plain Java and EJML only: no Spring type may be imported here (an ArchUnit test keeps it so),
 * so the engine could be published as a library of its own.
 */
package org.mlpservice.engine;
