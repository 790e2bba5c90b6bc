package org.mlpservice.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.ejml.data.FMatrixRMaj;

/**
 * A multi-layer perceptron: dense layers, a loss, and the preprocessing that belongs with it
 * (feature and target standardization, class labels). Training mutates it in place through a
 * {@link Workspace}; {@link #predict} is safe to call from any thread on a network no one trains.
 */
public final class Network {

    private final NetworkSpec spec;
    private final List<DenseLayer> layers;
    private final Loss loss;
    private final List<Parameter> parameters;
    private Scaler inputScaling;
    private Scaler targetScaling;
    private List<String> classes = List.of();
    private Imputer imputer; // null: missing inputs are not filled (versions from before imputation)
    /** The workspace {@link #predict} keeps between calls; null while a caller holds it. */
    private final AtomicReference<Workspace> spareWorkspace = new AtomicReference<>();

    private static final int PREDICT_CHUNK = 256;

    private Network(NetworkSpec spec) {
        this(spec, null);
    }

    /** {@code activations}, when not null, makes layer i's activation (see {@link #create(NetworkSpec, BiFunction)}). */
    private Network(NetworkSpec spec, BiFunction<LayerSpec, Integer, Activation> activations) {
        if (spec.inputs() < 1) {
            throw new IllegalArgumentException("inputs must be at least 1");
        }
        if (spec.layers().isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        this.spec = spec;
        this.loss = Loss.of(spec.loss());
        List<DenseLayer> built = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        int in = spec.inputs();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layerSpec = spec.layers().get(i);
            if (layerSpec.units() < 1) {
                throw new IllegalArgumentException("layer " + i + " needs at least 1 unit");
            }
            if (layerSpec.activation().equalsIgnoreCase("softmax") && i != spec.layers().size() - 1) {
                throw new IllegalArgumentException("softmax is only allowed on the output layer");
            }
            if (layerSpec.dropoutRate() > 0 && i == spec.layers().size() - 1) {
                throw new IllegalArgumentException("dropout is only allowed on hidden layers, not on the output layer");
            }
            DenseLayer layer = activations == null ? new DenseLayer("dense_" + (i + 1), in, layerSpec)
                    : new DenseLayer("dense_" + (i + 1), in, layerSpec, activations.apply(layerSpec, i));
            built.add(layer);
            params.addAll(layer.parameters());
            in = layerSpec.units();
        }
        this.layers = List.copyOf(built);
        this.parameters = List.copyOf(params);
        this.inputScaling = Scaler.identity(spec.inputs());
        this.targetScaling = Scaler.identity(spec.outputs());
    }

    /** A new network with weights drawn by the spec's initializer from its seed. */
    public static Network create(NetworkSpec spec) {
        return initialize(new Network(spec));
    }

    /**
     * Test hook: like {@link #create(NetworkSpec)}, but layer i (0-based) gets the activation
     * {@code activations.apply(spec.layers().get(i), i)}. Lets the gradient check inject a
     * deliberately wrong derivative and see itself fail; not for production use.
     */
    static Network create(NetworkSpec spec, BiFunction<LayerSpec, Integer, Activation> activations) {
        return initialize(new Network(spec, java.util.Objects.requireNonNull(activations)));
    }

    private static Network initialize(Network network) {
        NetworkSpec spec = network.spec;
        Initializer initializer = Initializer.of(spec.initializer());
        Random random = new Random(spec.seed());
        for (DenseLayer layer : network.layers) {
            initializer.fill(layer.kernel.value().data, layer.inputs, layer.units, random);
        }
        return network;
    }

    public NetworkSpec spec() {
        return spec;
    }

    public Loss loss() {
        return loss;
    }

    public int inputs() {
        return spec.inputs();
    }

    public int outputs() {
        return spec.outputs();
    }

    /** Every trainable array, layer by layer: kernel, bias, then activation parameters. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    public Scaler inputScaling() {
        return inputScaling;
    }

    public Scaler targetScaling() {
        return targetScaling;
    }

    /** Class labels in output order; empty for a regression network. */
    public List<String> classes() {
        return classes;
    }

    public void setClasses(List<String> classes) {
        this.classes = List.copyOf(classes);
    }

    /** Fill values for missing (NaN) inputs, applied before scaling; null when none were fitted. */
    public Imputer imputer() {
        return imputer;
    }

    void setImputer(Imputer imputer) {
        this.imputer = imputer;
    }

    void setScaling(Scaler input, Scaler target) {
        this.inputScaling = input;
        this.targetScaling = target;
    }

    List<DenseLayer> layers() {
        return layers;
    }

    /** Buffers for mini-batches of at most {@code maxBatch} rows. */
    public Workspace workspace(int maxBatch, MatrixOps ops) {
        return new Workspace(this, maxBatch, ops);
    }

    /** Whether some activation has trainable parameters (PReLU's slopes). */
    boolean hasActivationParameters() {
        return parameters.size() != 2 * layers.size();
    }

    /**
     * Outputs for raw (unscaled) inputs, (rows, inputs) row-major: probabilities for a classifier,
     * values in the target's own scale for regression. Safe to call from many threads at once on a
     * network no one trains.
     *
     * <p>Runs on {@link MatrixOps#defaultOps()} in chunks of at most {@value #PREDICT_CHUNK} rows
     * through a workspace kept for the next call (taken by one caller at a time; a concurrent
     * caller makes its own), so a single-row prediction allocates only its result.
     */
    public float[] predict(float[] x, int rows) {
        if (x.length != rows * inputs()) {
            throw new IllegalArgumentException("expected " + rows + " x " + inputs() + " inputs, got " + x.length + " values");
        }
        x = imputer == null ? x : imputer.fill(x); // a copy only when some input is missing
        int in = inputs();
        int out = outputs();
        float[] result = new float[rows * out];
        MatrixOps ops = MatrixOps.defaultOps();
        int chunk = Math.max(1, Math.min(rows, PREDICT_CHUNK));
        Workspace ws = spareWorkspace.getAndSet(null);
        if (ws == null || ws.capacity() < chunk || ws.ops() != ops) {
            ws = new Workspace(this, chunk, ops);
        }
        for (int from = 0; from < rows; from += chunk) {
            int n = Math.min(chunk, rows - from);
            FMatrixRMaj input = ws.input(n); // (n, inputs)
            inputScaling.transform(x, from * in, n * in, input.data);
            FMatrixRMaj output = ws.forward(); // (n, outputs)
            System.arraycopy(output.data, 0, result, from * out, n * out);
        }
        spareWorkspace.set(ws);
        targetScaling.inverseInPlace(result);
        return result;
    }

    /**
     * Every layer's outputs for raw (unscaled) inputs, filled and scaled as {@link #predict} does:
     * element i is layer i+1's activations, (rows, units) row-major, the last one the network's
     * output before any target unscaling. For looking inside a network (the playground's per-unit
     * heat-maps); as safe to call from many threads as {@link #predict}.
     */
    public float[][] layerOutputs(float[] x, int rows) {
        if (x.length != rows * inputs()) {
            throw new IllegalArgumentException("expected " + rows + " x " + inputs() + " inputs, got " + x.length + " values");
        }
        x = imputer == null ? x : imputer.fill(x);
        int in = inputs();
        float[][] result = new float[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            result[i] = new float[rows * layers.get(i).units];
        }
        int chunk = Math.max(1, Math.min(rows, PREDICT_CHUNK));
        Workspace ws = new Workspace(this, chunk, MatrixOps.defaultOps());
        for (int from = 0; from < rows; from += chunk) {
            int n = Math.min(chunk, rows - from);
            FMatrixRMaj input = ws.input(n); // (n, inputs)
            inputScaling.transform(x, from * in, n * in, input.data);
            ws.forward();
            for (int i = 0; i < layers.size(); i++) {
                int units = layers.get(i).units;
                System.arraycopy(ws.output(i).data, 0, result[i], from * units, n * units); // (n, units)
            }
        }
        return result;
    }

    /** Copies every parameter value into {@code into} (same network shape); no allocation. */
    public void copyWeightsTo(Network into) {
        for (int i = 0; i < parameters.size(); i++) {
            float[] src = parameters.get(i).value().data;
            System.arraycopy(src, 0, into.parameters.get(i).value().data, 0, src.length);
        }
    }

    /**
     * A deep copy (weights, scaling, fill values, labels) built from {@code spec}, which must have this network's
     * shape: how a warm start gets the training-time settings of the model (dropout) that a stored
     * network does not keep.
     */
    public Network copyAs(NetworkSpec spec) {
        Network copy = new Network(spec);
        if (copy.parameters.size() != parameters.size()) {
            throw new IllegalArgumentException("the spec does not have this network's shape");
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (copy.parameters.get(i).size() != parameters.get(i).size()) {
                throw new IllegalArgumentException("the spec does not have this network's shape");
            }
        }
        copyWeightsTo(copy);
        copy.setScaling(inputScaling, targetScaling);
        copy.setImputer(imputer);
        copy.setClasses(classes);
        return copy;
    }

    /** A deep copy (weights, scaling, fill values, labels). */
    public Network copy() {
        return fromState(state());
    }

    /** The network as plain arrays, for JSON. */
    public NetworkState state() {
        List<NetworkState.Layer> out = new ArrayList<>();
        for (DenseLayer layer : layers) {
            float[][] kernel = new float[layer.inputs][layer.units];
            for (int r = 0; r < layer.inputs; r++) {
                System.arraycopy(layer.kernel.value().data, r * layer.units, kernel[r], 0, layer.units);
            }
            float[] bias = layer.bias.value().data.clone();
            List<Parameter> extra = layer.activation.parameters();
            float[] slopes = extra.isEmpty() ? null : extra.get(0).value().data.clone();
            out.add(new NetworkState.Layer(layer.units, layer.spec.activation(), layer.spec.low(), layer.spec.high(),
                    kernel, bias, slopes));
        }
        return new NetworkState(spec.inputs(), spec.loss(), Initializer.of(spec.initializer()).key(), spec.seed(),
                out, inputScaling, targetScaling, classes, imputer);
    }

    /** Rebuilds a network from {@link #state()}; every weight bit is kept. */
    public static Network fromState(NetworkState state) {
        List<LayerSpec> specs = new ArrayList<>();
        for (NetworkState.Layer l : state.layers()) {
            specs.add(new LayerSpec(l.units(), l.activation(), l.low(), l.high()));
        }
        Network network = new Network(new NetworkSpec(state.inputs(), specs, state.loss(), state.initializer(), state.seed()));
        for (int i = 0; i < specs.size(); i++) {
            NetworkState.Layer l = state.layers().get(i);
            DenseLayer layer = network.layers.get(i);
            if (l.kernel().length != layer.inputs || l.bias().length != layer.units) {
                throw new IllegalArgumentException("layer " + (i + 1) + ": kernel must be " + layer.inputs + " x "
                        + layer.units + " and bias " + layer.units + " long");
            }
            for (int r = 0; r < layer.inputs; r++) {
                if (l.kernel()[r].length != layer.units) {
                    throw new IllegalArgumentException("layer " + (i + 1) + ": kernel row " + r + " must have " + layer.units + " values");
                }
                System.arraycopy(l.kernel()[r], 0, layer.kernel.value().data, r * layer.units, layer.units);
            }
            System.arraycopy(l.bias(), 0, layer.bias.value().data, 0, layer.units);
            List<Parameter> extra = layer.activation.parameters();
            if (!extra.isEmpty()) {
                if (l.slopes() == null || l.slopes().length != layer.units) {
                    throw new IllegalArgumentException("layer " + (i + 1) + ": prelu needs " + layer.units + " slopes");
                }
                System.arraycopy(l.slopes(), 0, extra.get(0).value().data, 0, layer.units);
            }
        }
        Scaler in = state.inputScaling() == null ? Scaler.identity(state.inputs()) : state.inputScaling();
        Scaler target = state.targetScaling() == null ? Scaler.identity(network.outputs()) : state.targetScaling();
        if (in.columns() != state.inputs() || target.columns() != network.outputs()) {
            throw new IllegalArgumentException("scaling must have " + state.inputs() + " input and " + network.outputs() + " target columns");
        }
        network.setScaling(in, target);
        if (state.imputation() != null && state.imputation().columns() != state.inputs()) {
            throw new IllegalArgumentException("imputation must have " + state.inputs() + " fill values");
        }
        network.setImputer(state.imputation());
        network.setClasses(state.classes() == null ? List.of() : state.classes());
        return network;
    }

    /** The Keras-style summary table. */
    public Summary summary() {
        List<Summary.Row> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer layer = layers.get(i);
            long count = (long) layer.inputs * layer.units + layer.units;
            for (Parameter p : layer.activation.parameters()) {
                count += p.size();
            }
            rows.add(new Summary.Row("dense_" + (i + 1) + " (Dense, " + layer.spec.activation() + ")",
                    List.of(-1, layer.units), count));
        }
        return new Summary(Collections.unmodifiableList(rows), parameterCount());
    }
}
