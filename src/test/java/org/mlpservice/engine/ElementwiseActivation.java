package org.mlpservice.engine;

import org.ejml.data.FMatrixRMaj;

/**
 * An activation from a forward function and its derivative, applied element by element: general,
 * at the cost of a call per element (the engine's own are {@link Pointwise}). Tests use it to inject
 * a deliberately wrong derivative and prove that the gradient check notices ({@link GradientCheckTest}).
 */
final class ElementwiseActivation implements Activation {

    /** f(z) element by element. */
    interface Function {
        float apply(float z);
    }

    /** f'(z), given z and y = f(z). */
    interface Derivative {
        float apply(float z, float y);
    }

    private final String name;
    private final Function f;
    private final Derivative g;

    ElementwiseActivation(String name, Function f, Derivative g) {
        this.name = name;
        this.f = f;
        this.g = g;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj y) {
        float[] zd = z.data;
        float[] yd = y.data;
        for (int i = 0, n = z.getNumElements(); i < n; i++) {
            yd[i] = f.apply(zd[i]);
        }
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj y, FMatrixRMaj delta) {
        float[] zd = z.data;
        float[] yd = y.data;
        float[] dd = delta.data;
        for (int i = 0, n = z.getNumElements(); i < n; i++) {
            dd[i] *= g.apply(zd[i], yd[i]);
        }
    }
}
