package org.mlpservice.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.mlpservice.engine.MatrixOps;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.Trainer;
import org.mlpservice.engine.TrainingListener;

/**
 * Two or more builds of the engine in one JVM, measured in alternation: for a change's effect on a
 * machine shared with other work, where figures of separate JVMs moved by 10-30 % from minute to
 * minute (the host's load, and each JVM's own compilation) and hid a change of 5 %.
 *
 * <p>Each build is a directory of compiled classes (copy {@code target/classes} away before the
 * change), loaded with the bench classes by its own class loader, so that each has its own copies
 * of the engine's classes and C2 compiles each separately; libraries (EJML) are shared. Every round
 * runs each build once, in an order that rotates from round to round, and a build's ratio to the
 * first one is taken round by round: both saw the same minutes. The bench classes themselves are
 * the current ones, loaded beside each build: an older build must have the methods they call
 * (constants they inline come from the current sources), and each build's C2 code still differs
 * from JVM to JVM (the same build twice measured 0.92-0.99 of itself): compare over several JVMs,
 * with the builds' order swapped.
 *
 * <pre>
 *   cp -r target/classes /tmp/before   # then change, compile, and:
 *   java --add-modules=jdk.incubator.vector -cp target/test-classes:$(cat target/bench-cp.txt) \
 *       org.mlpservice.bench.BuildComparison K 15 /tmp/before target/classes
 * </pre>
 *
 * <p>Workloads: {@code K}, the products of W3's step on one thread (microseconds per step, CPU
 * time, as {@link KernelBenchmark}; {@code -Dbench.shapes=fwd1,dW1} keeps only those shapes);
 * {@code W2}, whole W2 fits (samples per second, as {@link EngineBenchmark}'s, on the machine's
 * cores). It prints each build's median and, after the first, the median and range of its
 * per-round ratio (above 1: faster than the first build).
 */
public final class BuildComparison {

    private BuildComparison() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: BuildComparison K|W2 rounds classesDir classesDir...");
        }
        String workload = args[0];
        int rounds = Integer.parseInt(args[1]);
        List<Path> builds = Arrays.stream(args, 2, args.length).map(Path::of).toList();
        Path benchClasses = Path.of(BuildComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<DoubleSupplier> runs = new ArrayList<>();
        for (Path build : builds) {
            ClassLoader loader = new OwnEngine(build, benchClasses);
            Object run = loader.loadClass(Workloads.class.getName())
                    .getMethod(workload.equals("K") ? "kernelStep" : "w2Fit").invoke(null);
            runs.add((DoubleSupplier) run);
        }
        boolean higherIsFaster = !workload.equals("K");
        long until = System.nanoTime() + 5_000_000_000L; // warm-up: C2 compiles every build's loop
        while (System.nanoTime() < until) {
            for (DoubleSupplier run : runs) {
                run.getAsDouble();
            }
        }
        double[][] figures = new double[builds.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < builds.size(); i++) {
                int b = (i + round) % builds.size();
                figures[b][round] = runs.get(b).getAsDouble();
            }
        }
        String unit = higherIsFaster ? "samples_per_s" : "us_per_step";
        for (int b = 0; b < builds.size(); b++) {
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratios[round] = higherIsFaster ? figures[b][round] / figures[0][round] : figures[0][round] / figures[b][round];
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "build=%s workload=%s %s=%.1f rounds=%d speedup_over_first=%.3f range=%.3f..%.3f%n",
                    builds.get(b), workload, unit, median(figures[b]), rounds, ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The workloads, run in each build's own loader: they are the only code here that touches the engine. */
    public static final class Workloads {

        private Workloads() {
        }

        /** Microseconds of CPU time for one pass over W3's products (called in a build's own loader). */
        public static DoubleSupplier kernelStep() {
            MatrixOps ops = MatrixOps.select("auto", 1);
            String shapes = System.getProperty("bench.shapes", "");
            List<String> only = List.of(shapes.split(","));
            List<Runnable> calls = KernelBenchmark.W3_SHAPES.stream()
                    .filter(shape -> shapes.isEmpty() || only.contains(shape.name()))
                    .map(shape -> KernelBenchmark.call(shape, ops)).toList();
            return () -> {
                long start = CpuClock.now();
                for (int rep = 0; rep < 50; rep++) {
                    for (Runnable call : calls) {
                        call.run();
                    }
                }
                return (CpuClock.now() - start) / 50 / 1e3;
            };
        }

        /** The samples per second of one W2 fit (called in a build's own loader). */
        public static DoubleSupplier w2Fit() throws Exception {
            EngineBenchmark.Digits w2 = EngineBenchmark.digitsWorkload(
                    MatrixOps.select("auto", Runtime.getRuntime().availableProcessors()), Path.of("."));
            return () -> Trainer.fit(Network.create(w2.spec()), w2.train(), w2.config(), TrainingListener.NONE).samplesPerSecond();
        }
    }

    /** Loads the service's and the bench's classes itself (child first); everything else from the application's loader. */
    private static final class OwnEngine extends URLClassLoader {

        OwnEngine(Path build, Path benchClasses) throws Exception {
            super(new URL[] {build.toUri().toURL(), benchClasses.toUri().toURL()}, BuildComparison.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.mlpservice.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
