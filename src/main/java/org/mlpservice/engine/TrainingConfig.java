package org.mlpservice.engine;

/**
 * How to train. Defaults follow Keras' {@code fit} and {@code compile}: 1 epoch, batch 32,
 * RMSprop, shuffling, no validation split; plus H2O's habit of standardizing inputs.
 *
 * @param epochs          passes over the training part, ≥ 1
 * @param batchSize       rows per mini-batch, ≥ 1 (the last batch of an epoch may be smaller)
 * @param optimizer       optimizer and its settings
 * @param l1              L1 penalty on kernels
 * @param l2              L2 penalty on kernels
 * @param validationSplit fraction of rows held out (seeded random choice), in [0, 1)
 * @param shuffle         reshuffle the training rows every epoch
 * @param seed            seeds the split and the shuffles
 * @param standardize     fit feature (and, for a linear output, target) standardization on the training part
 * @param earlyStopping   null for none
 * @param maxRuntimeMillis stop as {@link StopReason#TIME_LIMIT} after this long; 0 for no limit
 * @param warmStart       keep the network's existing scaling instead of refitting it
 * @param ops             the matrix-product backend; null for {@link MatrixOps#defaultOps()}
 * @param schedule        the learning rate per epoch; null for the optimizer's own throughout
 * @param clipNorm        clip each parameter array's gradient to this L2 norm; 0 for no clipping
 * @param globalClipNorm  clip all gradients together to this joint L2 norm; 0 for no clipping
 * @param classWeights    a classifier's class weights; null for none
 */
public record TrainingConfig(int epochs, int batchSize, OptimizerSpec optimizer, double l1, double l2,
                             double validationSplit, boolean shuffle, long seed, boolean standardize,
                             EarlyStopping earlyStopping, long maxRuntimeMillis, boolean warmStart, MatrixOps ops,
                             LearningRateSchedule schedule, double clipNorm, double globalClipNorm,
                             ClassWeights classWeights) {

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1)");
        }
        if (l1 < 0 || l2 < 0 || maxRuntimeMillis < 0) {
            throw new IllegalArgumentException("l1, l2 and maxRuntimeMillis must be >= 0");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is required");
        }
        if (!(clipNorm >= 0) || !(globalClipNorm >= 0) || Double.isInfinite(clipNorm) || Double.isInfinite(globalClipNorm)) {
            throw new IllegalArgumentException("clipNorm and globalClipNorm must be finite numbers >= 0");
        }
        if (ops == null) {
            ops = MatrixOps.defaultOps();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainingConfig}; unset fields keep the defaults. */
    public static final class Builder {
        private int epochs = 1;
        private int batchSize = 32;
        private OptimizerSpec optimizer = OptimizerSpec.defaults("rmsprop");
        private double l1;
        private double l2;
        private double validationSplit;
        private boolean shuffle = true;
        private long seed;
        private boolean standardize = true;
        private EarlyStopping earlyStopping;
        private long maxRuntimeMillis;
        private boolean warmStart;
        private MatrixOps ops; // null: the engine's default backend, resolved by build()
        private LearningRateSchedule schedule;
        private double clipNorm;
        private double globalClipNorm;
        private ClassWeights classWeights;

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder optimizer(OptimizerSpec v) { optimizer = v; return this; }
        public Builder l1(double v) { l1 = v; return this; }
        public Builder l2(double v) { l2 = v; return this; }
        public Builder validationSplit(double v) { validationSplit = v; return this; }
        public Builder shuffle(boolean v) { shuffle = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder standardize(boolean v) { standardize = v; return this; }
        public Builder earlyStopping(EarlyStopping v) { earlyStopping = v; return this; }
        public Builder maxRuntimeMillis(long v) { maxRuntimeMillis = v; return this; }
        public Builder warmStart(boolean v) { warmStart = v; return this; }
        public Builder ops(MatrixOps v) { ops = v; return this; }
        public Builder schedule(LearningRateSchedule v) { schedule = v; return this; }
        public Builder clipNorm(double v) { clipNorm = v; return this; }
        public Builder globalClipNorm(double v) { globalClipNorm = v; return this; }
        public Builder classWeights(ClassWeights v) { classWeights = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, optimizer, l1, l2, validationSplit, shuffle, seed,
                    standardize, earlyStopping, maxRuntimeMillis, warmStart, ops, schedule, clipNorm, globalClipNorm,
                    classWeights);
        }
    }
}
