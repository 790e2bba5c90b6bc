package org.mlpservice.engine;

import java.util.List;
import java.util.Locale;

/**
 * An optimizer and its settings. {@link #defaults(String)} gives Keras' defaults for each type;
 * the {@code with…} methods change one setting.
 *
 * @param type         sgd, adam, adamw, rmsprop or adagrad
 * @param learningRate step size
 * @param momentum     sgd and rmsprop momentum, 0 for none
 * @param nesterov     sgd: Nesterov's look-ahead momentum
 * @param beta1        adam/adamw first-moment decay
 * @param beta2        adam/adamw second-moment decay
 * @param epsilon      added to the root in the adaptive methods
 * @param rho          rmsprop's decay of the squared-gradient average
 * @param weightDecay  adamw's decoupled weight decay
 * @param initialAccumulator adagrad's starting accumulator value
 */
public record OptimizerSpec(String type, double learningRate, double momentum, boolean nesterov, double beta1,
                            double beta2, double epsilon, double rho, double weightDecay, double initialAccumulator) {

    public static final List<String> TYPES = List.of("sgd", "adam", "adamw", "rmsprop", "adagrad");

    /** Keras 3's defaults for the given optimizer type. */
    public static OptimizerSpec defaults(String type) {
        String key = type == null ? "" : type.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "sgd" -> new OptimizerSpec("sgd", 0.01, 0, false, 0.9, 0.999, 1e-7, 0.9, 0, 0.1);
            case "adam" -> new OptimizerSpec("adam", 0.001, 0, false, 0.9, 0.999, 1e-7, 0.9, 0, 0.1);
            case "adamw" -> new OptimizerSpec("adamw", 0.001, 0, false, 0.9, 0.999, 1e-7, 0.9, 0.004, 0.1);
            case "rmsprop" -> new OptimizerSpec("rmsprop", 0.001, 0, false, 0.9, 0.999, 1e-7, 0.9, 0, 0.1);
            case "adagrad" -> new OptimizerSpec("adagrad", 0.001, 0, false, 0.9, 0.999, 1e-7, 0.9, 0, 0.1);
            default -> throw new IllegalArgumentException("unknown optimizer '" + type + "', expected one of " + TYPES);
        };
    }

    public static OptimizerSpec sgd(double learningRate, double momentum, boolean nesterov) {
        return defaults("sgd").withLearningRate(learningRate).withMomentum(momentum).withNesterov(nesterov);
    }

    public static OptimizerSpec adam(double learningRate) {
        return defaults("adam").withLearningRate(learningRate);
    }

    public OptimizerSpec withLearningRate(double v) {
        return new OptimizerSpec(type, v, momentum, nesterov, beta1, beta2, epsilon, rho, weightDecay, initialAccumulator);
    }

    public OptimizerSpec withMomentum(double v) {
        return new OptimizerSpec(type, learningRate, v, nesterov, beta1, beta2, epsilon, rho, weightDecay, initialAccumulator);
    }

    public OptimizerSpec withNesterov(boolean v) {
        return new OptimizerSpec(type, learningRate, momentum, v, beta1, beta2, epsilon, rho, weightDecay, initialAccumulator);
    }

    public OptimizerSpec withBetas(double b1, double b2) {
        return new OptimizerSpec(type, learningRate, momentum, nesterov, b1, b2, epsilon, rho, weightDecay, initialAccumulator);
    }

    public OptimizerSpec withEpsilon(double v) {
        return new OptimizerSpec(type, learningRate, momentum, nesterov, beta1, beta2, v, rho, weightDecay, initialAccumulator);
    }

    public OptimizerSpec withRho(double v) {
        return new OptimizerSpec(type, learningRate, momentum, nesterov, beta1, beta2, epsilon, v, weightDecay, initialAccumulator);
    }

    public OptimizerSpec withWeightDecay(double v) {
        return new OptimizerSpec(type, learningRate, momentum, nesterov, beta1, beta2, epsilon, rho, v, initialAccumulator);
    }

    public OptimizerSpec withInitialAccumulator(double v) {
        return new OptimizerSpec(type, learningRate, momentum, nesterov, beta1, beta2, epsilon, rho, weightDecay, v);
    }
}
