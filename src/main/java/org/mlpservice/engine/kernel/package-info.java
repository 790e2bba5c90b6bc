/**
 * The engine's matrix backends, internal: EJML's products, plain Java loops, the hand-written
 * Vector API kernel, and the thread team that splits a product or a pass among cores.
 *
 * <p>Each backend implements {@link org.mlpservice.engine.MatrixOps}, the one interface through which
 * the engine's math reaches this package; the engine creates backends only through
 * {@link org.mlpservice.engine.kernel.Backends}, and nothing outside the engine uses this package
 * (an ArchUnit test keeps both so).
 */
package org.mlpservice.engine.kernel;
