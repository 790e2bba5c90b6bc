package org.mlpservice.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One core's fp32 peak as the JVM reaches it: twelve independent chains of fused multiply-adds at
 * the preferred vector species, two steps of each per loop iteration, nothing loaded or stored. Twelve chains cover an FMA latency of 4–6
 * cycles at two FMAs per cycle, and leave registers free in AVX2's sixteen.
 */
final class FmaPeak {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private FmaPeak() {
    }

    /** The median of 15 timed runs (the thread's CPU time, {@link CpuClock}), in GFLOP/s, after a warm-up that lets C2 compile the loop (not on stack replacement). */
    static double measure() {
        int iterations = 50_000;
        int calls = 40;
        float sink = 0;
        for (int i = 0; i < 2_000; i++) {
            sink += loop(iterations / 10);
        }
        double[] rates = new double[15];
        for (int r = 0; r < rates.length; r++) {
            long t0 = CpuClock.now();
            for (int i = 0; i < calls; i++) {
                sink += loop(iterations);
            }
            long nanos = CpuClock.now() - t0;
            rates[r] = 2.0 * 2 * CHAINS * S.length() * iterations * calls / nanos;
        }
        if (sink == 42f) {
            System.out.print(""); // keeps the loop's result alive
        }
        java.util.Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static float loop(int iterations) {
        FloatVector a = FloatVector.broadcast(S, 0.999f);
        FloatVector b = FloatVector.broadcast(S, 1e-4f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0.add(1f), c2 = c0.add(2f), c3 = c0.add(3f);
        FloatVector c4 = c0.add(4f), c5 = c0.add(5f), c6 = c0.add(6f), c7 = c0.add(7f);
        FloatVector c8 = c0.add(8f), c9 = c0.add(9f), c10 = c0.add(10f), c11 = c0.add(11f);
        for (int i = 0; i < iterations; i++) { // twice over: with AVX2 the loop's own instructions cost 10 % once
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
