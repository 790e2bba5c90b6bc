package org.mlpservice.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;

/**
 * Mini-batch gradient descent. Everything the loop needs (index permutation, batch buffers,
 * optimizer state, copies for early stopping and divergence) is allocated before the first epoch;
 * the mini-batch loop itself allocates nothing.
 */
public final class Trainer {

    private Trainer() {
    }

    /**
     * Trains {@code network} in place on {@code data} (raw, unscaled values).
     *
     * @throws IllegalArgumentException when the data does not fit the network or the split leaves no training rows
     */
    public static TrainingResult fit(Network network, Examples data, TrainingConfig config, TrainingListener listener) {
        return fit(network, data, config, listener, Imputer.Statistic.MEAN);
    }

    /**
     * Trains as {@link #fit(Network, Examples, TrainingConfig, TrainingListener)}, filling missing
     * (NaN) inputs with {@code imputation} of the training rows (kept on a warm start).
     */
    public static TrainingResult fit(Network network, Examples data, TrainingConfig config, TrainingListener listener,
                                     Imputer.Statistic imputation) {
        if (data.features() != network.inputs()) {
            throw new IllegalArgumentException("the network takes " + network.inputs() + " inputs, the data has " + data.features() + " features");
        }
        data = targetsFor(network, data);
        Random random = new Random(config.seed());
        Split split = Split.of(data, config.validationSplit(), random);
        if (split.train().rows() == 0) {
            throw new IllegalArgumentException("no training rows left after the validation split");
        }
        if (!config.warmStart() || network.imputer() == null) {
            Examples t = split.train(); // fitted on the training rows only, as the scaling
            network.setImputer(Imputer.fit(t.x(), t.rows(), t.features(), imputation));
        }
        Examples trainRows = network.imputer().fill(split.train()); // a copy only when a value is missing
        if (!config.warmStart()) {
            fitScaling(network, trainRows, config.standardize());
        }
        Examples train = scaled(network, weighted(network, trainRows, config.classWeights()));
        Examples validation = split.validation() == null ? null : scaled(network, network.imputer().fill(split.validation()));
        return new Run(network, train, validation, config, listener, random).execute();
    }

    /**
     * The examples with targets the network's outputs take: as they are, or a binary problem's 0/1
     * column as two one-hot columns for a classifier with two outputs (a 2-unit softmax).
     *
     * @throws IllegalArgumentException when the widths differ otherwise
     */
    static Examples targetsFor(Network network, Examples data) {
        if (data.outputs() == network.outputs()) {
            return data;
        }
        if (data.outputs() == 1 && network.outputs() == 2 && isClassifier(network)) {
            return data.binaryAsOneHot();
        }
        throw new IllegalArgumentException("the network has " + network.outputs() + " outputs, the targets have " + data.outputs() + " columns");
    }

    /** Classifiers are networks trained with a cross-entropy loss or given class labels. */
    static boolean isClassifier(Network network) {
        String loss = network.loss().name();
        return !network.classes().isEmpty() || loss.endsWith("crossentropy");
    }

    private static void fitScaling(Network network, Examples train, boolean standardize) {
        if (!standardize) {
            network.setScaling(Scaler.identity(network.inputs()), Scaler.identity(network.outputs()));
            return;
        }
        Scaler input = Scaler.fit(train.x(), train.rows(), train.features());
        // Targets are scaled only for an unbounded (linear) output: a sigmoid target must stay in [0, 1].
        String outputActivation = network.spec().layers().get(network.spec().layers().size() - 1).activation();
        boolean scaleTargets = !isClassifier(network) && outputActivation.equalsIgnoreCase("linear");
        Scaler target = scaleTargets ? Scaler.fit(train.y(), train.rows(), train.outputs()) : Scaler.identity(network.outputs());
        network.setScaling(input, target);
    }

    private static Examples scaled(Network network, Examples e) {
        return new Examples(network.inputScaling().transform(e.x()), network.targetScaling().transform(e.y()),
                e.rows(), e.features(), e.outputs(), e.weights());
    }

    /** The training rows with their class weights folded into their row weights (each row's: class weight × sample weight). */
    private static Examples weighted(Network network, Examples train, ClassWeights classWeights) {
        if (classWeights == null) {
            return train;
        }
        if (!isClassifier(network)) {
            throw new IllegalArgumentException("class weights need a classifier; this network is trained for regression");
        }
        float[] w = classWeights.rowWeights(train, network.classes());
        if (train.weights() != null) {
            for (int r = 0; r < w.length; r++) {
                w[r] *= train.weights()[r];
            }
        }
        return train.withWeights(w);
    }

    /** A seeded random hold-out: the validation rows are a random {@code fraction} of the data. */
    record Split(Examples train, Examples validation) {
        static Split of(Examples data, double fraction, Random random) {
            int nVal = (int) Math.round(data.rows() * fraction);
            if (nVal == 0) {
                return new Split(data, null);
            }
            int[] order = permutation(data.rows(), random);
            int nTrain = data.rows() - nVal;
            return new Split(data.select(java.util.Arrays.copyOfRange(order, 0, nTrain)),
                    data.select(java.util.Arrays.copyOfRange(order, nTrain, data.rows())));
        }
    }

    static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    /** Fisher–Yates, in place. */
    static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** Rows per chunk when a batch's gather is split among the backend's threads. */
    static final int GATHER_GRANULE = 8;

    /** One training run's state. */
    private static final class Run implements TrainingControls {
        private final Network network;
        private final Examples train;
        private final Examples validation;
        private final TrainingConfig config;
        private final TrainingListener listener;
        private final Random random;
        private final Workspace workspace;
        /** The data-parallel step for large batches, or null when this run's batches are never sharded. */
        private final ShardedStep sharded;
        private final Optimizer optimizer;
        private final MetricAccumulator trainMetrics;
        private final MetricAccumulator valMetrics;
        private final int[] order;
        private final Network epochStart; // weights before the current epoch, restored on divergence
        private final Network best;       // weights of the best epoch, for restoreBestWeights
        private final List<EpochStats> history = new ArrayList<>();
        /** The learning rate per epoch, or null for the optimizer's own throughout. */
        private final LearningRateSchedule.Tracker schedule;
        /** Mini-batches trained so far: the step whose dropout masks the next batch draws. */
        private long steps;
        // The gather being run; written before ops.parallelFor, read by its chunks.
        private Examples gData;
        private int gFrom;
        private FMatrixRMaj gX;
        private FMatrixRMaj gT;
        private final MatrixOps.Range gatherPart = (i0, i1) -> gatherRows(gData, gFrom, i0, i1, gX, gT);

        Run(Network network, Examples train, Examples validation, TrainingConfig config, TrainingListener listener, Random random) {
            this.network = network;
            this.train = train;
            this.validation = validation;
            this.config = config;
            this.listener = listener == null ? TrainingListener.NONE : listener;
            this.random = random;
            int largest = Math.max(train.rows(), validation == null ? 0 : validation.rows());
            this.workspace = network.workspace(Math.min(config.batchSize(), largest), config.ops());
            this.sharded = ShardedStep.create(network, Math.min(config.batchSize(), train.rows()), config.ops());
            this.optimizer = Optimizer.create(config.optimizer(), network.parameters());
            this.optimizer.useThreadsOf(config.ops());
            this.optimizer.setPenalties(config.l1(), config.l2());
            this.optimizer.setClipping(config.clipNorm(), config.globalClipNorm());
            this.schedule = config.schedule() == null ? null : config.schedule().start(optimizer.learningRate(), config.epochs());
            boolean classifier = isClassifier(network);
            // The AUC on the validation rows only (see EpochStats), its buffer sized for all of them.
            this.trainMetrics = new MetricAccumulator(classifier, network.outputs());
            this.valMetrics = new MetricAccumulator(classifier, network.outputs(), validation == null ? 0 : validation.rows());
            this.order = new int[train.rows()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            this.epochStart = network.copy();
            EarlyStopping es = config.earlyStopping();
            this.best = es != null && es.restoreBestWeights() ? network.copy() : null;
        }

        TrainingResult execute() {
            long deadline = config.maxRuntimeMillis() == 0 ? Long.MAX_VALUE
                    : System.nanoTime() + config.maxRuntimeMillis() * 1_000_000L;
            EarlyStopping es = config.earlyStopping();
            String monitor = es == null ? null
                    : (validation == null && es.monitor().startsWith("val_") ? es.monitor().substring(4) : es.monitor());
            double bestValue = Double.NaN;
            int bestEpoch = 0;
            int wait = 0;
            long samples = 0;
            long nanos = 0;
            StopReason reason = StopReason.COMPLETED;

            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long started = System.nanoTime();
                network.copyWeightsTo(epochStart);
                if (schedule != null) {
                    optimizer.setLearningRate(schedule.rate(epoch - 1));
                }
                if (config.shuffle()) {
                    shuffle(order, random);
                }
                trainMetrics.reset();
                StopReason stop = null;
                int bs = config.batchSize();
                for (int from = 0, batch = 0; from < train.rows(); from += bs, batch++) {
                    long held = listener.beforeBatch(epoch, batch, this);
                    if (held != 0) {
                        // Time held (paused, throttled) is neither training time nor the time limit's.
                        started += held;
                        deadline = deadline == Long.MAX_VALUE ? deadline : deadline + held;
                    }
                    if (listener.stopRequested()) {
                        stop = StopReason.CANCELLED;
                        break;
                    }
                    int rows = Math.min(bs, train.rows() - from);
                    double loss = trainBatch(from, rows);
                    samples += rows;
                    if (!Double.isFinite(loss)) {
                        stop = StopReason.DIVERGED;
                        break;
                    }
                    if (listener.stopRequested()) {
                        stop = StopReason.CANCELLED;
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        stop = StopReason.TIME_LIMIT;
                        break;
                    }
                }
                long ended = System.nanoTime();
                nanos += ended - started;
                if (stop == StopReason.DIVERGED) {
                    epochStart.copyWeightsTo(network);
                    reason = stop;
                    break;
                }
                if (stop != null) {
                    // A cancelled or timed-out epoch is incomplete: it is not reported as an epoch.
                    reason = stop;
                    break;
                }
                EpochStats stats = epochStats(epoch, (ended - started) / 1_000_000);
                history.add(stats);
                listener.onEpoch(stats, config.epochs());
                if (schedule != null) {
                    schedule.epochEnded(stats);
                }
                if (es != null) {
                    Double current = stats.get(monitor);
                    if (current != null) {
                        boolean improved = Double.isNaN(bestValue) || (es.maximizes()
                                ? current > bestValue + es.minDelta() : current < bestValue - es.minDelta());
                        if (improved) {
                            bestValue = current;
                            bestEpoch = epoch;
                            wait = 0;
                            if (best != null) {
                                network.copyWeightsTo(best);
                            }
                        } else if (++wait >= es.patience()) {
                            reason = StopReason.EARLY_STOPPING;
                            break;
                        }
                    }
                }
            }
            if (best != null && bestEpoch > 0 && reason == StopReason.EARLY_STOPPING) {
                best.copyWeightsTo(network);
            } else {
                bestEpoch = history.size();
            }
            return new TrainingResult(List.copyOf(history), reason, bestEpoch, samples, nanos);
        }

        @Override
        public void setLearningRate(double learningRate) {
            optimizer.setLearningRate(learningRate);
        }

        @Override
        public void setMomentum(double momentum) {
            optimizer.setMomentum(momentum);
        }

        @Override
        public void setPenalties(double l1, double l2) {
            if (!(l1 >= 0) || !(l2 >= 0) || Double.isInfinite(l1) || Double.isInfinite(l2)) {
                throw new IllegalArgumentException("l1 and l2 must be finite numbers >= 0");
            }
            optimizer.setPenalties(l1, l2);
        }

        @Override
        public void setHiddenDropout(double rate) {
            workspace.setHiddenDropout(rate);
            if (sharded != null) {
                sharded.setHiddenDropout(rate);
            }
        }

        /** Forward, backward and update on rows order[from .. from+rows); answers the batch loss. */
        private double trainBatch(int from, int rows) {
            long step = steps++;
            if (sharded != null && ShardedStep.shards(network, rows) > 1) {
                return sharded.train(train, order, from, rows, network, optimizer, trainMetrics, optimizer.penalty(),
                        config.seed(), step);
            }
            FMatrixRMaj x = workspace.input(rows);
            FMatrixRMaj t = workspace.target(rows);
            gather(train, from, rows, x, t);
            workspace.weighted(train.weights() != null);
            workspace.dropoutStep(config.seed(), step, 0);
            FMatrixRMaj y = workspace.forwardTraining();
            double loss = workspace.loss() + optimizer.penalty();
            trainMetrics.add(y, t, loss);
            if (!Double.isFinite(loss)) {
                return loss;
            }
            // The kernels are updated inside the backward pass, each block of rows right after its
            // gradient (same values as backward then step; see Optimizer#fusedUpdate).
            optimizer.beginFusedStep();
            workspace.backward(optimizer);
            optimizer.finishFusedStep();
            return loss;
        }

        /**
         * Copies the batch's rows into x and t. A large batch is split by rows among the backend's
         * threads: the copy from rows scattered over the training set is bound by memory latency,
         * which several cores overlap better than one.
         */
        private void gather(Examples data, int from, int rows, FMatrixRMaj x, FMatrixRMaj t) {
            gData = data;
            gFrom = from;
            gX = x;
            gT = t;
            try {
                config.ops().parallelFor(rows, GATHER_GRANULE, (long) rows * data.features(), gatherPart);
            } finally {
                gData = null;
                gX = null;
                gT = null;
            }
        }

        /** Batch rows [i0, i1) of the gather. */
        private void gatherRows(Examples data, int from, int i0, int i1, FMatrixRMaj x, FMatrixRMaj t) {
            data.copyRows(data == train ? order : null, from, i0, i1, x.data, t.data);
            if (data == train && data.weights() != null) {
                data.copyWeights(order, from, i0, i1, workspace.weights());
            }
        }

        private EpochStats epochStats(int epoch, long millis) {
            Double valLoss = null;
            if (validation != null) {
                valMetrics.reset();
                workspace.weighted(false); // validation figures are unweighted, as Keras' without validation sample weights
                int bs = config.batchSize();
                for (int from = 0; from < validation.rows(); from += bs) {
                    int rows = Math.min(bs, validation.rows() - from);
                    FMatrixRMaj x = workspace.input(rows);
                    FMatrixRMaj t = workspace.target(rows);
                    gather(validation, from, rows, x, t);
                    FMatrixRMaj y = workspace.forward();
                    valMetrics.add(y, t, workspace.loss());
                }
                valLoss = valMetrics.meanLoss() + optimizer.penalty();
            }
            return measured(epoch, valLoss, millis);
        }

        /** The epoch's figures from the two accumulators; validation ones only with a validation split. */
        private EpochStats measured(int epoch, Double valLoss, long millis) {
            MetricAccumulator t = trainMetrics;
            MetricAccumulator v = validation == null ? null : valMetrics;
            return new EpochStats(epoch, t.meanLoss(), valLoss, t.accuracy(), v == null ? null : v.accuracy(),
                    t.r2(), v == null ? null : v.r2(), t.logLoss(), v == null ? null : v.logLoss(),
                    v == null ? null : v.auc(), t.macroF1(), v == null ? null : v.macroF1(), millis, optimizer.learningRate());
        }
    }
}
