package org.mlpservice.engine;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/**
 * The training step for large mini-batches on several threads, in two phases with one hand-off each.
 *
 * <ol>
 * <li>Rows. The batch's rows are cut into shards of about {@value #SHARD_ROWS}; the product
 * threads take shards in turn, and each runs its rows through gather, forward pass, loss and the
 * backward pass of the errors (d loss / d z of every layer) in a workspace of its own, with products
 * on its own thread. Every row is independent of the others until the weight gradients.</li>
 * <li>Weights. The rows of all kernel gradients dW = xᵀ·delta form one range the threads take in
 * chunks; each chunk sums over all the batch's rows, shard after shard
 * ({@link MatrixOps#multTransAStacked}), and the optimizer updates those kernel rows right after, on
 * the same core. Biases and penalized kernels are updated after, as in the single-threaded step.</li>
 * </ol>
 *
 * <p>Why not split each product among the threads instead (as the backend does for a single large
 * product): a step of 784-256-128-10 at batch 128 is eleven products and as many passes
 * between them; every split product costs a hand-off and a wait for the slowest chunk, and the
 * passes between products (bias and activation, errors, the gather) stay on one thread. Here the
 * whole step takes two hand-offs and runs everything on every core.
 *
 * <p>Bits. Each row's forward values and errors are those of the whole-batch step (products compute
 * each output element by itself), each gradient element is one chain of multiply-adds over the
 * batch's rows in order, continued from shard to shard, and each bias gradient a sum in row order,
 * exactly as in {@link Workspace#backward}: the weights after a sharded step are
 * bit-identical to those of the single-threaded step, for any number of threads (and so are
 * predictions, validation loss and accuracies). Only the reported training loss is summed shard by
 * shard, in double precision, and may differ from the single-threaded one in its last bits.
 */
final class ShardedStep {

    /** Rows per shard: enough for the product kernel's 8-row tiles and for its weights to be read few times. */
    static final int SHARD_ROWS = 64;
    /** A batch is sharded from this many multiply-adds in its forward pass (784-256-128-10 at batch 128: 30 million). */
    static final long MIN_WORK = 4_000_000;
    static final int MAX_SHARDS = 8;
    private static final int GRANULE = 8;

    private final List<DenseLayer> layers;
    private final Workspace[] workspaces;
    private final double[] losses;
    private final MatrixOps ops;    // the backend with threads: runs the two phases
    private final MatrixOps single; // the same backend on one thread: each shard's products
    private final FMatrixRMaj[][] inputs; // [layer][shard]: the layer's input in each shard
    private final FMatrixRMaj[][] deltas; // [layer][shard]: the layer's error in each shard
    private final int[] rowStart;         // layer l's kernel rows start here in the weights phase's range
    private final int[] kernelIndex;      // layer l's kernel in the network's parameters
    private final boolean[] fusedKernel;  // layer l's kernel is updated in the weights phase this step

    // The step being run; written before the phases start, read by their chunks.
    private Examples data;
    private int[] order;
    private int from;
    private int rows;
    private int count;
    private Optimizer optimizer;
    private long dropoutSeed;
    private long step;
    private final MatrixOps.Range rowsPart = (s0, s1) -> {
        for (int s = s0; s < s1; s++) {
            runShard(s);
        }
    };
    private final MatrixOps.Range weightsPart = this::weights;

    /**
     * How many shards a batch of {@code rows} rows runs in: 1 (the single-threaded step) for small
     * work, for batches under two shards, and for networks whose activations have parameters (a
     * PReLU sums its slopes' gradient inside the activation's backward pass).
     */
    static int shards(Network network, int rows) {
        if (rows < 2 * SHARD_ROWS || network.hasActivationParameters()) {
            return 1;
        }
        long perRow = 0;
        List<DenseLayer> layers = network.layers();
        for (int l = 0; l < layers.size(); l++) { // not for-each: an Iterator per call where C2 does not remove it
            perRow += (long) layers.get(l).inputs * layers.get(l).units;
        }
        return perRow * rows < MIN_WORK ? 1 : Math.min(MAX_SHARDS, rows / SHARD_ROWS);
    }

    /**
     * For batches of at most {@code maxBatch} rows on {@code ops}; null when such batches are never
     * sharded, or the backend has no threads or cannot sum over row blocks (EJML).
     */
    static ShardedStep create(Network network, int maxBatch, MatrixOps ops) {
        int most = shards(network, maxBatch);
        if (most < 2 || ops.threads() < 2 || !ops.singleThreaded().stacks()) {
            return null;
        }
        return new ShardedStep(network, maxBatch, most, ops);
    }

    private ShardedStep(Network network, int maxBatch, int most, MatrixOps ops) {
        this.layers = network.layers();
        this.ops = ops;
        this.single = ops.singleThreaded();
        // A smaller last batch may make fewer, larger shards: below MAX_SHARDS a shard has fewer than 2·SHARD_ROWS rows.
        int capacity = Math.max(2 * SHARD_ROWS, (maxBatch + MAX_SHARDS - 1) / MAX_SHARDS);
        this.workspaces = new Workspace[most];
        for (int s = 0; s < most; s++) {
            workspaces[s] = network.workspace(capacity, single);
        }
        this.losses = new double[most];
        int n = layers.size();
        this.inputs = new FMatrixRMaj[n][most];
        this.deltas = new FMatrixRMaj[n][most];
        this.rowStart = new int[n + 1];
        this.kernelIndex = new int[n];
        this.fusedKernel = new boolean[n];
        for (int l = 0; l < n; l++) {
            for (int s = 0; s < most; s++) {
                inputs[l][s] = workspaces[s].trainingInput(l);
                deltas[l][s] = workspaces[s].delta(l);
            }
            rowStart[l + 1] = rowStart[l] + layers.get(l).inputs;
            kernelIndex[l] = network.parameters().indexOf(layers.get(l).kernel);
        }
    }

    /** Sets every shard's hidden dropout rate ({@link Workspace#setHiddenDropout}). */
    void setHiddenDropout(double rate) {
        for (Workspace ws : workspaces) {
            ws.setHiddenDropout(rate);
        }
    }

    /** {@link #train(Examples, int[], int, int, Network, Optimizer, MetricAccumulator, double, long, long)} as step 0 of a run seeded 0. */
    double train(Examples data, int[] order, int from, int rows, Network network, Optimizer optimizer,
            MetricAccumulator metrics, double penalty) {
        return train(data, order, from, rows, network, optimizer, metrics, penalty, 0, 0);
    }

    /**
     * Trains on rows order[from .. from+rows) of {@code data}: adds each shard to {@code metrics}
     * (with {@code penalty}, the optimizer's penalty before the update) and updates the parameters
     * unless the loss is not finite; answers the batch's mean loss with the penalty. Dropout masks
     * are those of mini-batch {@code step} of a run seeded {@code dropoutSeed} (see {@link Workspace#dropoutStep}):
     * each shard draws them for its own rows of the batch, the bits the single-threaded step draws.
     */
    double train(Examples data, int[] order, int from, int rows, Network network, Optimizer optimizer,
            MetricAccumulator metrics, double penalty, long dropoutSeed, long step) {
        int n = shards(network, rows);
        this.dropoutSeed = dropoutSeed;
        this.step = step;
        this.data = data;
        this.order = order;
        this.from = from;
        this.rows = rows;
        this.count = n;
        this.optimizer = optimizer;
        try {
            onTeam(rowsPart, n, 1);
            double loss = 0;
            for (int s = 0; s < n; s++) {
                Workspace ws = workspaces[s];
                FMatrixRMaj y = ws.output();
                metrics.add(y, ws.target(y.numRows), losses[s] + penalty);
                loss += losses[s] * y.numRows;
            }
            loss = loss / rows + penalty;
            if (!Double.isFinite(loss)) {
                return loss;
            }
            optimizer.beginFusedStep();
            for (int l = 0; l < layers.size(); l++) {
                fusedKernel[l] = optimizer.fuse(kernelIndex[l]);
            }
            onTeam(weightsPart, rowStart[layers.size()], GRANULE);
            optimizer.finishFusedStep();
            return loss;
        } finally {
            this.data = null;
            this.order = null;
            this.optimizer = null;
        }
    }

    /** A phase on the backend's threads; a sharded batch has at least {@link #MIN_WORK} multiply-adds, always worth a hand-off. */
    private void onTeam(MatrixOps.Range part, int units, int granule) {
        ops.parallelFor(units, granule, MIN_WORK, part);
    }

    /** Shard s: rows [s·rows/count, (s+1)·rows/count) of the batch, through forward and the errors. */
    private void runShard(int s) {
        int r0 = (int) ((long) s * rows / count);
        int r1 = (int) ((long) (s + 1) * rows / count);
        int n = r1 - r0;
        Workspace ws = workspaces[s];
        data.copyRows(order, from + r0, 0, n, ws.input(n).data, ws.target(n).data);
        ws.weighted(data.weights() != null);
        if (data.weights() != null) {
            data.copyWeights(order, from + r0, 0, n, ws.weights());
        }
        ws.dropoutStep(dropoutSeed, step, r0);
        ws.forwardTraining();
        losses[s] = ws.loss();
        ws.backwardErrors(rows);
    }

    /** Kernel-gradient rows [r0, r1) of the weights phase's range (every layer's kernel rows, one after another). */
    private void weights(int r0, int r1) {
        for (int l = 0; l < layers.size() && r0 < r1; l++) {
            int start = rowStart[l];
            int end = rowStart[l + 1];
            if (end <= r0) {
                continue;
            }
            int a = r0 - start;
            int b = Math.min(r1, end) - start;
            DenseLayer layer = layers.get(l);
            if (a == 0) {
                layer.biasGradient(single, deltas[l], count, layer.bias.grad().data);
            }
            single.multTransAStacked(inputs[l], deltas[l], count, layer.kernel.grad(), a, b);
            if (fusedKernel[l]) {
                optimizer.updateRows(kernelIndex[l], a, b);
            }
            r0 = start + b;
        }
    }
}
