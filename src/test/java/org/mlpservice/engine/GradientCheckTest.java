package org.mlpservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numerical gradient check of every activation and every loss: the gradients that
 * {@link Workspace#backward()} writes into {@link Network#parameters()} (kernels, biases
 * and PReLU slopes) are compared with central differences of the engine's own loss,
 * {@code (L(θ+h) − L(θ−h)) / (θ₊ − θ₋)}, where L is {@link Workspace#forward()} (float32)
 * followed by {@link Workspace#loss()} (double sums over the float32 outputs), and
 * {@code θ₊ = fl32(θ+h)}, {@code θ₋ = fl32(θ−h)} are the float32 values actually stored, so the
 * divisor is the step that was really taken, not the nominal 2h.
 *
 * <h2>Networks</h2>
 * Three dense layers, 3 → 5 → 4 → k, batch of 4 rows, everything seeded: x ~ N(0, 1), kernels
 * ~ N(0, 0.8²), biases ~ N(0, 0.3²), PReLU slopes ~ U(0.1, 0.4) (all different, so a slope mixed up
 * with another unit's shows). Every activation is checked in both hidden layers (linear output,
 * mse) and as the output activation (after tanh and softplus hidden layers, mse); each loss is
 * checked on its fused path (sigmoid + binary cross-entropy, softmax + categorical
 * cross-entropy: {@code δ = (y − t)/n}) and on its plain path through {@link Loss#gradient} and the
 * output activation's derivative (binary cross-entropy after softmax, categorical cross-entropy
 * after sigmoid, mse after softmax — the full softmax Jacobian — and after sigmoid, mae).
 *
 * <h2>Step and tolerance</h2>
 * h = 5e-3, and an analytic gradient a passes against the numerical n when
 * {@code |a − n| ≤ 4e-4 + 5e-3·|n|}. The error of n has two parts that pull h in opposite
 * directions, and float32 rules out the textbook h ≈ 1e-6:
 * <ul>
 *   <li><b>Rounding, ∝ 1/h.</b> The forward pass is float32 (unit roundoff u = 2⁻²⁴ ≈ 6e-8). Each
 *   output carries a relative error of some tens of u (three layers of ≤ 5-term dot products plus
 *   the activations), so the loss, of order 0.1–1 here, is off by δL ≲ 1e-6 (the double sums in
 *   the losses add nothing). The difference L₊ − L₋ is then off by up to 2δL, and the quotient by
 *   up to 2δL / 2h = 2e-4 at h = 5e-3 (at h = 1e-3 it would be 1e-3, as large as many gradient
 *   entries). Measured: the worst case (relu output, mse) is off by 9.7e-4 at h = 1e-3 and
 *   1.8e-4 at h = 5e-3, exactly this 1/h law with δL ≈ 1e-6. The absolute term 4e-4 is twice it.</li>
 *   <li><b>Truncation, ∝ h².</b> The central difference is off by h²/6·|L'''|. Measured on the
 *   worst case (two tanh layers, weights ~ N(0, 0.8²)): 1.1e-3, 2.9e-4, 6.6e-5 on an entry of 0.04
 *   at h = 2e-2, 1e-2, 5e-3, exactly the h² law, i.e. 0.17 % relative at h = 5e-3. The relative
 *   term 5e-3 is three times it; h = 5e-3 is where the two parts are about equal.</li>
 *   <li><b>Measured margin.</b> Over all 31 correct networks below the largest |a − n| is 2.4e-4
 *   and the largest |a − n| / tolerance is 0.15 (both printed per network), a
 *   safety factor of more than 6.</li>
 *   <li><b>Teeth.</b> Gradient entries here are 1e-3 … 0.5. A wrong derivative changes the
 *   gradients that flow through it by its own relative error: tanh' written 1 − y instead of
 *   1 − y² is off by |y|/(1 + y), 20–100 % for the |y| of 0.2–0.9 seen here, which puts the
 *   affected entries at up to 1000 times the tolerance. {@link #theCheckFailsForABrokenDerivative}
 *   breaks six derivatives on purpose and asserts the check fails for each, by at least 3 times the
 *   tolerance; the subtlest, a sigmoid' only 3 % too large, fails on 11 entries with a worst
 *   ratio of 4.4. So any derivative error of more than ~1 % on an entry above ~0.05 (or an
 *   absolute error above ~5e-4) is caught, and real derivative bugs are far larger.</li>
 * </ul>
 *
 * <h2>Kinks</h2>
 * relu, leaky_relu, prelu and elu (whose second derivative jumps) change formula at z = 0,
 * threshold at z = 0, hard_linear at its bounds, and mae at y = t. The seeded draws put the z of
 * each such layer on both sides of its kinks and at least 0.05 (ten steps) away from them, and
 * for mae every |y − t| at least 0.05 away from 0: the draw is repeated from the same seeded
 * stream until that holds, as make_parity.py does for the parity fixture. As a backstop a
 * coordinate is <em>skipped</em> when the region pattern (which side of every kink every z of
 * every row, and every y − t for mae, lies on) at θ₊ or θ₋ differs from the one at θ: there the
 * difference quotient straddles a kink and measures a mix of two one-sided derivatives. Skips are
 * counted and must stay below 10 % of the coordinates (with the margin there are none; without
 * it one network lost 15 of its 59 coordinates).
 *
 * <h2>Threshold (straight-through)</h2>
 * threshold is a step forward, but its backward pass takes the derivative as 1 (the lecture's
 * straight-through rule). The true derivative of a step is 0 almost everywhere, so central
 * differences would find 0 for every parameter at or before a threshold layer: comparing with them
 * is meaningless. For those parameters the test checks the rule itself instead: with the threshold
 * layer T, g = ∂L/∂y_T (central differences on the step's outputs fed through the smooth layers
 * after it), straight-through says ∂L/∂z_T := g, so the expected gradient of a parameter θ at or
 * before T is the derivative of the surrogate S(θ) = Σ g ⊙ z_T(θ) (g held fixed), again by
 * central differences; parameters after T are checked against L itself as usual.
 */
class GradientCheckTest {

    /** Central-difference step; see the class comment. */
    static final double H = 5e-3;
    /** Absolute part of the tolerance: covers the float32 rounding of the loss difference. */
    static final double ABS_TOL = 4e-4;
    /** Relative part of the tolerance: covers the O(h²) truncation error. */
    static final double REL_TOL = 5e-3;
    /** At most this fraction of the coordinates may be skipped for straddling a kink. */
    static final double MAX_SKIPPED = 0.10;
    /** Draws are repeated until no pre-activation (nor, for mae, y − t) is this close to a kink. */
    static final double KINK_MARGIN = 0.05;

    static final int ROWS = 4;

    static final List<String> ACTIVATIONS = List.of("linear", "relu", "leaky_relu", "prelu", "elu", "sigmoid",
            "tanh", "softmax", "softplus", "threshold", "hard_linear");
    static final List<String> LOSSES = List.of("mse", "mae", "binary_crossentropy", "categorical_crossentropy");

    /** A network to check: its spec and the seed of its weights, inputs and targets. */
    record Case(String name, NetworkSpec spec, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case of(String name, String loss, long seed, LayerSpec... layers) {
        return new Case(name, new NetworkSpec(3, List.of(layers), loss, "glorot_uniform", seed), seed);
    }

    static LayerSpec layer(int units, String activation) {
        return new LayerSpec(units, activation);
    }

    /**
     * Every activation in both hidden layers (not softmax, output only), linear output, mse.
     * threshold only in the first: behind two step layers nothing before the second would have a
     * derivative to compare the straight-through rule with (see the class comment).
     */
    static Stream<Case> hiddenActivations() {
        return ACTIVATIONS.stream().filter(a -> !a.equals("softmax"))
                .map(a -> of("hidden " + a, "mse", 100 + ACTIVATIONS.indexOf(a),
                        layer(5, a), layer(4, a.equals("threshold") ? "tanh" : a), layer(2, "linear")));
    }

    /** Every activation (not threshold, whose step output carries no gradient) as the output, mse. */
    static Stream<Case> outputActivations() {
        return ACTIVATIONS.stream().filter(a -> !a.equals("threshold"))
                .map(a -> of("output " + a + " + mse", "mse", 200 + ACTIVATIONS.indexOf(a),
                        layer(5, "tanh"), layer(4, "softplus"), layer(3, a)));
    }

    /** Every loss, on its fused path where it has one and on the plain path through Loss.gradient. */
    static Stream<Case> losses() {
        return Stream.of(
                of("mse after linear", "mse", 300, layer(5, "relu"), layer(4, "tanh"), layer(2, "linear")),
                of("mse after sigmoid", "mse", 301, layer(5, "elu"), layer(4, "tanh"), layer(2, "sigmoid")),
                of("mse after softmax (full Jacobian)", "mse", 302, layer(5, "tanh"), layer(4, "prelu"), layer(3, "softmax")),
                of("mae after linear", "mae", 303, layer(5, "tanh"), layer(4, "relu"), layer(2, "linear")),
                of("mae after tanh", "mae", 304, layer(5, "leaky_relu"), layer(4, "softplus"), layer(2, "tanh")),
                of("binary_crossentropy after sigmoid (fused)", "binary_crossentropy", 305,
                        layer(5, "relu"), layer(4, "tanh"), layer(2, "sigmoid")),
                of("binary_crossentropy after softmax (plain)", "binary_crossentropy", 306,
                        layer(5, "tanh"), layer(4, "elu"), layer(3, "softmax")),
                of("categorical_crossentropy after softmax (fused)", "categorical_crossentropy", 307,
                        layer(5, "elu"), layer(4, "leaky_relu"), layer(3, "softmax")),
                of("categorical_crossentropy after sigmoid (plain)", "categorical_crossentropy", 308,
                        layer(5, "prelu"), layer(4, "sigmoid"), layer(3, "sigmoid")),
                of("hard_linear [-0.5, 2] + mse", "mse", 309,
                        layer(5, "tanh"), new LayerSpec(4, "hard_linear", -0.5, 2.0), layer(2, "linear")),
                of("threshold second + binary_crossentropy", "binary_crossentropy", 310,
                        layer(5, "tanh"), layer(4, "threshold"), layer(2, "sigmoid")));
    }

    static Stream<Case> allCases() {
        return Stream.of(hiddenActivations(), outputActivations(), losses()).flatMap(s -> s);
    }

    @Test
    void everyActivationAndLossIsCovered() {
        List<Case> cases = allCases().toList();
        for (String a : ACTIVATIONS) {
            assertThat(cases).as(a).anyMatch(c -> c.spec().layers().stream().anyMatch(l -> l.activation().equals(a)));
        }
        assertThat(Activation.names()).containsExactlyInAnyOrderElementsOf(ACTIVATIONS);
        assertThat(cases).extracting(c -> c.spec().loss()).containsAll(LOSSES);
        assertThat(Loss.names()).containsExactlyInAnyOrderElementsOf(LOSSES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void analyticGradientsMatchCentralDifferences(Case c) {
        Fixture f = Fixture.of(Network.create(c.spec()), c.seed());

        Report report = check(f);

        System.out.println("gradient check: " + c.name() + ": " + report);
        assertThat(report.checked()).isGreaterThan(0);
        assertThat(report.skipped()).as("coordinates skipped for straddling a kink")
                .isLessThanOrEqualTo((int) (MAX_SKIPPED * (report.checked() + report.skipped())));
        assertThat(report.failures()).as("coordinates outside |a − n| ≤ %s + %s·|n|", ABS_TOL, REL_TOL).isEmpty();
    }

    /** The same check on the fast backend ({@code auto}: Vector API, or plain Java without the flag). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void analyticGradientsMatchCentralDifferencesOnTheFastBackend(Case c) {
        Fixture f = Fixture.of(Network.create(c.spec()), c.seed());

        Report report = check(f, MatrixOps.select("auto", 2));

        assertThat(report.checked()).isGreaterThan(0);
        assertThat(report.failures()).as("coordinates outside |a − n| ≤ %s + %s·|n|", ABS_TOL, REL_TOL).isEmpty();
    }

    /** A derivative that is wrong on purpose: the network, the layer it sits in and what is wrong. */
    record Broken(String name, NetworkSpec spec, int layer, Activation activation) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Broken> brokenDerivatives() {
        NetworkSpec tanh = new NetworkSpec(3, List.of(layer(5, "tanh"), layer(4, "tanh"), layer(2, "linear")), "mse", "glorot_uniform", 400);
        NetworkSpec sigmoid = new NetworkSpec(3, List.of(layer(5, "sigmoid"), layer(4, "tanh"), layer(2, "linear")), "mse", "glorot_uniform", 401);
        NetworkSpec elu = new NetworkSpec(3, List.of(layer(5, "elu"), layer(4, "elu"), layer(2, "linear")), "mse", "glorot_uniform", 402);
        NetworkSpec leaky = new NetworkSpec(3, List.of(layer(5, "leaky_relu"), layer(4, "tanh"), layer(2, "linear")), "mse", "glorot_uniform", 403);
        NetworkSpec threshold = new NetworkSpec(3, List.of(layer(5, "threshold"), layer(4, "tanh"), layer(2, "linear")), "mse", "glorot_uniform", 404);
        return Stream.of(
                new Broken("tanh' = 1 − y instead of 1 − y²", tanh, 1,
                        new ElementwiseActivation("tanh", z -> (float) Math.tanh(z), (z, y) -> 1f - y)),
                new Broken("tanh' = 1 − y instead of 1 − y², first layer", tanh, 0,
                        new ElementwiseActivation("tanh", z -> (float) Math.tanh(z), (z, y) -> 1f - y)),
                new Broken("sigmoid' 3 % too large", sigmoid, 0,
                        new ElementwiseActivation("sigmoid", Activations::sigmoid, (z, y) -> 1.03f * y * (1f - y))),
                new Broken("elu' = y instead of y + 1 for z < 0", elu, 1,
                        new ElementwiseActivation("elu", z -> z > 0 ? z : (float) Math.expm1(z), (z, y) -> z > 0 ? 1f : y)),
                new Broken("leaky_relu' slope 0.25 instead of 0.2", leaky, 0,
                        new ElementwiseActivation("leaky_relu", z -> z > 0 ? z : 0.2f * z, (z, y) -> z > 0 ? 1f : 0.25f)),
                new Broken("threshold' = 0 instead of straight-through 1", threshold, 0,
                        new ElementwiseActivation("threshold", z -> z >= 0 ? 1f : 0f, (z, y) -> 0f)));
    }

    /**
     * The proof that the check has teeth: the same check, on networks whose one derivative is
     * wrong on purpose (injected through {@link Network#create(NetworkSpec, BiFunction)}), must
     * report failures, and by a clear margin (the worst |a − n| at least 3 × the tolerance).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDerivatives")
    void theCheckFailsForABrokenDerivative(Broken b) {
        BiFunction<LayerSpec, Integer, Activation> activations = (spec, i) -> i == b.layer() ? b.activation()
                : Activations.create(spec.activation(), spec.units(), spec.lowOrNaN(), spec.highOrNaN());
        Fixture f = Fixture.of(Network.create(b.spec(), activations), b.spec().seed());

        Report report = check(f);

        System.out.println("broken derivative: " + b.name() + ": " + report);
        assertThat(report.failures()).as("the check must fail for " + b.name()).isNotEmpty();
        assertThat(report.worstRatio()).isGreaterThan(3);
    }

    // ------------------------------------------------------------------ dropout and loss weights

    /**
     * Dropout on the inputs and both hidden layers, checked with the masks fixed: the masks of one
     * step are drawn once ({@link Workspace#forwardTraining}), then frozen ({@code redrawMasks = false},
     * the test hook), so L(θ) is the loss of that one thinned network and its central differences
     * must match what the backward pass writes. Smooth activations only (no kinks to straddle).
     */
    static Stream<Case> dropoutCases() {
        return Stream.of(
                new Case("dropout tanh/sigmoid, mse", new NetworkSpec(3, List.of(new LayerSpec(6, "tanh", null, null, 0.4),
                        new LayerSpec(5, "sigmoid", null, null, 0.3), layer(2, "linear")), "mse", "glorot_uniform", 500, 0.25), 500),
                new Case("dropout softplus/tanh, softmax + cce (fused)", new NetworkSpec(3, List.of(
                        new LayerSpec(6, "softplus", null, null, 0.5), new LayerSpec(5, "tanh", null, null, 0.2), layer(3, "softmax")),
                        "categorical_crossentropy", "glorot_uniform", 501, 0.0), 501));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dropoutCases")
    void dropoutGradientsMatchCentralDifferencesWithTheMaskFixed(Case c) {
        Fixture f = Fixture.of(Network.create(c.spec()), c.seed());

        Report report = checkTraining(f, null, true);

        System.out.println("gradient check: " + c.name() + ": " + report);
        assertThat(report.checked()).isGreaterThan(0);
        assertThat(report.failures()).as("coordinates outside |a − n| ≤ %s + %s·|n|", ABS_TOL, REL_TOL).isEmpty();
    }

    /** The teeth: a backward pass that forgets the masks (the test hook masksInBackward = false) must fail the check. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dropoutCases")
    void theCheckFailsWhenTheBackwardPassIgnoresTheMask(Case c) {
        Fixture f = Fixture.of(Network.create(c.spec()), c.seed());

        Report report = checkTraining(f, null, false);

        System.out.println("mask ignored in backward: " + c.name() + ": " + report);
        assertThat(report.failures()).as("the check must fail when the backward pass ignores the dropout mask").isNotEmpty();
        assertThat(report.worstRatio()).isGreaterThan(3);
    }

    /** Per-row weights on every loss, fused and plain: L = Σ wᵣ·lᵣ / rows, checked against central differences. */
    static Stream<Case> weightedCases() {
        return Stream.of(
                of("weighted mse", "mse", 600, layer(5, "tanh"), layer(4, "softplus"), layer(2, "linear")),
                of("weighted mae", "mae", 601, layer(5, "tanh"), layer(4, "sigmoid"), layer(2, "linear")),
                of("weighted sigmoid + bce (fused)", "binary_crossentropy", 602, layer(5, "tanh"), layer(4, "tanh"), layer(2, "sigmoid")),
                of("weighted softmax + cce (fused)", "categorical_crossentropy", 603, layer(5, "tanh"), layer(4, "tanh"), layer(3, "softmax")),
                of("weighted softmax + bce (plain)", "binary_crossentropy", 604, layer(5, "tanh"), layer(4, "tanh"), layer(3, "softmax")));
    }

    static final float[] ROW_WEIGHTS = {0.5f, 3f, 0f, 1.25f};

    @ParameterizedTest(name = "{0}")
    @MethodSource("weightedCases")
    void weightedLossGradientsMatchCentralDifferences(Case c) {
        Fixture f = Fixture.of(Network.create(c.spec()), c.seed());

        Report report = checkTraining(f, ROW_WEIGHTS, true);

        System.out.println("gradient check: " + c.name() + ": " + report);
        assertThat(report.checked()).isGreaterThan(0);
        assertThat(report.failures()).as("coordinates outside |a − n| ≤ %s + %s·|n|", ABS_TOL, REL_TOL).isEmpty();
    }

    /** The weighted loss is Σ wᵣ·lᵣ / rows, each lᵣ the loss of row r alone (Keras' sample_weight with sum_over_batch_size). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("weightedCases")
    void theWeightedLossIsTheWeightedSumOverTheRowCount(Case c) {
        Fixture f = Fixture.of(Network.create(c.spec()), c.seed());
        Network net = f.network();
        double expected = 0;
        for (int r = 0; r < ROWS; r++) {
            Workspace one = net.workspace(1, MatrixOps.ejml());
            System.arraycopy(f.x().data, r * net.inputs(), one.input(1).data, 0, net.inputs());
            System.arraycopy(f.t().data, r * net.outputs(), one.target(1).data, 0, net.outputs());
            one.forward();
            expected += ROW_WEIGHTS[r] * one.loss();
        }
        expected /= ROWS;
        Workspace ws = net.workspace(ROWS, MatrixOps.ejml());
        ws.input(ROWS).setTo(f.x());
        ws.target(ROWS).setTo(f.t());
        System.arraycopy(ROW_WEIGHTS, 0, ws.weights(), 0, ROWS);
        ws.weighted(true);
        ws.forwardTraining();

        assertThat(ws.loss()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12 + 1e-9 * Math.abs(expected)));
    }

    /**
     * Central differences of the training loss ({@link Workspace#forwardTraining} then
     * {@link Workspace#loss}) with the dropout masks of one step frozen and, when given, per-row
     * weights; {@code masksInBackward} false breaks the backward pass on purpose.
     */
    static Report checkTraining(Fixture f, float[] weights, boolean masksInBackward) {
        return checkTraining(f, weights, masksInBackward, true);
    }

    /** The teeth of the weighted check: a backward pass without the weights must fail it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("weightedCases")
    void theCheckFailsWhenTheBackwardPassIgnoresTheWeights(Case c) {
        Fixture f = Fixture.of(Network.create(c.spec()), c.seed());

        Report report = checkTraining(f, ROW_WEIGHTS, true, false);

        assertThat(report.failures()).as("the check must fail when the gradient ignores the row weights").isNotEmpty();
    }

    static Report checkTraining(Fixture f, float[] weights, boolean masksInBackward, boolean weightsInBackward) {
        Network net = f.network();
        int rows = f.x().numRows;
        Workspace ws = net.workspace(rows, MatrixOps.ejml());
        ws.input(rows).setTo(f.x());
        ws.target(rows).setTo(f.t());
        if (weights != null) {
            System.arraycopy(weights, 0, ws.weights(), 0, rows);
            ws.weighted(true);
        }
        ws.dropoutStep(f.network().spec().seed(), 7, 0);
        ws.forwardTraining(); // draws the masks of step 7
        if (net.spec().hasDropout()) {
            assertThat(droppedSomething(ws, net)).as("the masks drop some units").isTrue();
        }
        ws.redrawMasks = false;
        ws.masksInBackward = masksInBackward;
        ws.weighted(weights != null && weightsInBackward);
        ws.backward();
        ws.weighted(weights != null);

        int checked = 0;
        double worstAbs = 0;
        double worstRatio = 0;
        String worst = "";
        List<String> failures = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            float[] value = p.value().data;
            float[] analytic = p.grad().data.clone();
            for (int j = 0; j < value.length; j++) {
                float original = value[j];
                float plus = (float) (original + H);
                float minus = (float) (original - H);
                value[j] = plus;
                ws.forwardTraining();
                double lossPlus = ws.loss();
                value[j] = minus;
                ws.forwardTraining();
                double lossMinus = ws.loss();
                value[j] = original;
                checked++;
                double numeric = (lossPlus - lossMinus) / ((double) plus - (double) minus);
                double error = Math.abs(analytic[j] - numeric);
                double tolerance = ABS_TOL + REL_TOL * Math.abs(numeric);
                String where = String.format("%s[%d] analytic=%.6g numeric=%.6g", p.name(), j, analytic[j], numeric);
                worstAbs = Math.max(worstAbs, error);
                if (error / tolerance > worstRatio) {
                    worstRatio = error / tolerance;
                    worst = where;
                }
                if (!(error <= tolerance)) {
                    failures.add(where);
                }
            }
        }
        return new Report(checked, 0, worstAbs, worstRatio, worst, failures);
    }

    /** Whether some input or hidden output that has dropout was zeroed in the last training forward pass. */
    private static boolean droppedSomething(Workspace ws, Network net) {
        for (int i = 0; i < net.layers().size(); i++) {
            FMatrixRMaj in = ws.layerInput(i);
            FMatrixRMaj raw = i == 0 ? ws.input(in.numRows) : null;
            for (int e = 0; e < in.getNumElements(); e++) {
                if (in.data[e] == 0f && (raw == null || raw.data[e] != 0f)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------- the check

    /** A network with seeded weights and one batch of inputs and targets. */
    record Fixture(Network network, FMatrixRMaj x, FMatrixRMaj t) {

        /**
         * Draws weights, inputs and targets from {@code seed}, again and again from the same
         * stream (so deterministically) until {@link Pass#clearOfKinks} holds.
         */
        static Fixture of(Network network, long seed) {
            Random random = new Random(seed);
            for (int attempt = 0; attempt < 1000; attempt++) {
                Fixture f = draw(network, random);
                if (new Pass(network, f.x(), f.t()).clearOfKinks(KINK_MARGIN)) {
                    return f;
                }
            }
            throw new IllegalStateException("no draw clear of the kinks for seed " + seed);
        }

        private static Fixture draw(Network network, Random random) {
            for (DenseLayer layer : network.layers()) {
                fillGaussian(layer.kernel.value().data, 0.8, random);
                fillGaussian(layer.bias.value().data, 0.3, random);
                for (Parameter p : layer.activation.parameters()) {
                    float[] a = p.value().data;
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) (0.1 + 0.3 * random.nextDouble());
                    }
                }
            }
            int n = network.inputs();
            int k = network.outputs();
            FMatrixRMaj x = new FMatrixRMaj(ROWS, n);
            fillGaussian(x.data, 1, random);
            FMatrixRMaj t = new FMatrixRMaj(ROWS, k);
            String loss = network.loss().name();
            String out = network.spec().layers().get(network.layers().size() - 1).activation();
            for (int r = 0; r < ROWS; r++) {
                if (loss.equals("categorical_crossentropy") || out.equals("softmax")) {
                    t.set(r, random.nextInt(k), 1f);
                } else {
                    for (int c = 0; c < k; c++) {
                        t.set(r, c, loss.equals("binary_crossentropy") ? (float) ((r + c) % 2)
                                : (float) (0.1 + 0.8 * random.nextDouble()));
                    }
                }
            }
            return new Fixture(network, x, t);
        }

        private static void fillGaussian(float[] a, double sd, Random random) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (sd * random.nextGaussian());
            }
        }
    }

    /** What one check found; {@code worstRatio} is the largest |a − n| / tolerance. */
    record Report(int checked, int skipped, double worstAbs, double worstRatio, String worst, List<String> failures) {
        @Override
        public String toString() {
            return String.format("checked=%d skipped=%d worst |a-n|=%.2e worst ratio=%.3f (%s) failures=%d%s", checked,
                    skipped, worstAbs, worstRatio, worst, failures.size(),
                    failures.isEmpty() ? "" : " e.g. " + failures.get(0));
        }
    }

    /**
     * Compares every parameter's analytic gradient with its central difference (for parameters at
     * or before a threshold layer: with the straight-through rule, see the class comment).
     */
    static Report check(Fixture f) {
        return check(f, MatrixOps.ejml());
    }

    /** {@link #check(Fixture)} with the backward pass and the difference quotients on {@code ops}. */
    static Report check(Fixture f, MatrixOps ops) {
        Network net = f.network();
        int rows = f.x().numRows;
        Workspace ws = net.workspace(rows, ops);
        ws.input(rows).setTo(f.x());
        ws.target(rows).setTo(f.t());
        ws.forward();
        ws.backward();

        List<DenseLayer> layers = net.layers();
        int threshold = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).spec.activation().equals("threshold")) {
                assertThat(threshold).as("at most one threshold layer").isEqualTo(-1);
                threshold = i;
            }
        }
        Pass pass = new Pass(net, f.x(), f.t(), ops);
        double[] g = threshold < 0 ? null : straightThroughError(pass, threshold);

        int checked = 0;
        int skipped = 0;
        double worstAbs = 0;
        double worstRatio = 0;
        String worst = "";
        List<String> failures = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            for (Parameter p : layers.get(li).parameters()) {
                float[] value = p.value().data;
                float[] analytic = p.grad().data.clone();
                for (int j = 0; j < value.length; j++) {
                    float original = value[j];
                    float plus = (float) (original + H);
                    float minus = (float) (original - H);
                    double lossPlus;
                    double lossMinus;
                    boolean straddles;
                    if (li <= threshold) {
                        // Straight-through: d/dθ of S(θ) = Σ g ⊙ z_T(θ), z_T smooth in θ here.
                        value[j] = plus;
                        lossPlus = pass.surrogate(threshold, g);
                        value[j] = minus;
                        lossMinus = pass.surrogate(threshold, g);
                        straddles = false;
                    } else {
                        int[] base = pass.regions();
                        value[j] = plus;
                        lossPlus = loss(ws);
                        straddles = !Arrays.equals(base, pass.regions());
                        value[j] = minus;
                        lossMinus = loss(ws);
                        straddles |= !Arrays.equals(base, pass.regions());
                    }
                    value[j] = original;
                    if (straddles) {
                        skipped++;
                        continue;
                    }
                    checked++;
                    double numeric = (lossPlus - lossMinus) / ((double) plus - (double) minus);
                    double error = Math.abs(analytic[j] - numeric);
                    double tolerance = ABS_TOL + REL_TOL * Math.abs(numeric);
                    String where = String.format("%s[%d] analytic=%.6g numeric=%.6g", p.name(), j, analytic[j], numeric);
                    worstAbs = Math.max(worstAbs, error);
                    if (error / tolerance > worstRatio) {
                        worstRatio = error / tolerance;
                        worst = where;
                    }
                    if (!(error <= tolerance)) {
                        failures.add(where);
                    }
                }
            }
        }
        return new Report(checked, skipped, worstAbs, worstRatio, worst, failures);
    }

    private static double loss(Workspace ws) {
        ws.forward();
        return ws.loss();
    }

    /**
     * g = ∂L/∂y_T by central differences on the threshold layer's outputs, fed through the
     * (smooth) layers after it; the straight-through rule makes this ∂L/∂z_T.
     */
    private static double[] straightThroughError(Pass pass, int threshold) {
        pass.run(0, pass.x);
        FMatrixRMaj yT = pass.y[threshold].copy();
        double[] g = new double[yT.getNumElements()];
        for (int i = 0; i < g.length; i++) {
            float original = yT.data[i];
            float plus = (float) (original + H);
            float minus = (float) (original - H);
            yT.data[i] = plus;
            double lossPlus = pass.run(threshold + 1, yT);
            yT.data[i] = minus;
            double lossMinus = pass.run(threshold + 1, yT);
            yT.data[i] = original;
            g[i] = (lossPlus - lossMinus) / ((double) plus - (double) minus);
        }
        return g;
    }

    /**
     * The engine's forward pass layer by layer ({@link DenseLayer#forward}, the same code the
     * workspace runs) into buffers the test can read: z and y of every layer.
     */
    static final class Pass {
        final Network net;
        final FMatrixRMaj x;
        final FMatrixRMaj t;
        final FMatrixRMaj[] z;
        final FMatrixRMaj[] y;
        final MatrixOps ops;

        Pass(Network net, FMatrixRMaj x, FMatrixRMaj t) {
            this(net, x, t, MatrixOps.ejml());
        }

        Pass(Network net, FMatrixRMaj x, FMatrixRMaj t, MatrixOps ops) {
            this.ops = ops;
            this.net = net;
            this.x = x;
            this.t = t;
            int n = net.layers().size();
            z = new FMatrixRMaj[n];
            y = new FMatrixRMaj[n];
            for (int i = 0; i < n; i++) {
                z[i] = new FMatrixRMaj(x.numRows, net.layers().get(i).units);
                y[i] = new FMatrixRMaj(x.numRows, net.layers().get(i).units);
            }
        }

        /** Runs layers {@code from}.. on {@code in}; answers the loss as the workspace computes it. */
        double run(int from, FMatrixRMaj in) {
            List<DenseLayer> layers = net.layers();
            for (int i = from; i < layers.size(); i++) {
                layers.get(i).forward(ops, in, z[i], y[i]);
                in = y[i];
            }
            int last = layers.size() - 1;
            Loss loss = net.loss();
            return loss.fusesWith(layers.get(last).activation) ? loss.valueFromLogits(z[last], t) : loss.value(y[last], t);
        }

        /** S = Σ g ⊙ z_T after a fresh forward pass. */
        double surrogate(int threshold, double[] g) {
            run(0, x);
            double s = 0;
            for (int i = 0; i < g.length; i++) {
                s += g[i] * z[threshold].data[i];
            }
            return s;
        }

        /**
         * Whether, after a fresh forward pass, every pre-activation of a layer with kinks is at
         * least {@code margin} away from them and lies on both sides of them somewhere in the batch
         * (so both branches of the derivative are exercised), and, for mae, every |y − t| ≥ margin.
         */
        boolean clearOfKinks(double margin) {
            run(0, x);
            List<DenseLayer> layers = net.layers();
            for (int i = 0; i < layers.size(); i++) {
                LayerSpec spec = layers.get(i).spec;
                double[] kinks = switch (spec.activation()) {
                    case "relu", "leaky_relu", "prelu", "elu", "threshold" -> new double[] {0};
                    case "hard_linear" -> new double[] {spec.low() == null ? -1 : spec.low(), spec.high() == null ? 1 : spec.high()};
                    default -> new double[0];
                };
                for (double kink : kinks) {
                    boolean below = false;
                    boolean above = false;
                    for (int e = 0; e < z[i].getNumElements(); e++) {
                        double v = z[i].data[e];
                        if (Math.abs(v - kink) < margin) {
                            return false;
                        }
                        below |= v < kink;
                        above |= v > kink;
                    }
                    if (!(below && above)) {
                        return false;
                    }
                }
            }
            if (net.loss().name().equals("mae")) {
                FMatrixRMaj out = y[layers.size() - 1];
                for (int e = 0; e < out.getNumElements(); e++) {
                    if (Math.abs(out.data[e] - t.data[e]) < margin) {
                        return false;
                    }
                }
            }
            return true;
        }

        /**
         * Which side of every kink every pre-activation lies on (and, for mae, the sign of every
         * y − t) after a fresh forward pass; equal patterns mean no kink was crossed.
         */
        int[] regions() {
            run(0, x);
            List<DenseLayer> layers = net.layers();
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                LayerSpec spec = layers.get(i).spec;
                float[] zd = z[i].data;
                for (int e = 0; e < z[i].getNumElements(); e++) {
                    codes.add(switch (spec.activation()) {
                        case "relu", "leaky_relu", "prelu", "elu" -> zd[e] > 0 ? 1 : 0;
                        case "threshold" -> zd[e] >= 0 ? 1 : 0;
                        case "hard_linear" -> {
                            double low = spec.low() == null ? -1 : spec.low();
                            double high = spec.high() == null ? 1 : spec.high();
                            yield zd[e] < (float) low ? 0 : zd[e] > (float) high ? 2 : 1;
                        }
                        default -> 0;
                    });
                }
            }
            if (net.loss().name().equals("mae")) {
                FMatrixRMaj out = y[layers.size() - 1];
                for (int e = 0; e < out.getNumElements(); e++) {
                    codes.add((int) Math.signum(out.data[e] - t.data[e]));
                }
            }
            return codes.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
