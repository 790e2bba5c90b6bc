package org.mlpservice.engine.kernel;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How many vector registers the JIT allocates on this JVM, and the register tile that fits them.
 *
 * <p>x86-64 has 16 vector registers (ymm0–15) unless the JVM uses AVX-512's EVEX encoding, which
 * adds 16 more: HotSpot does so when its {@code UseAVX} flag is 3 (its default on an AVX-512 CPU;
 * {@code -XX:UseAVX=2} gives an AVX-512 machine the AVX2 code, with 16). AArch64 has 32 (NEON and
 * SVE). The vector length alone does not tell: {@code -XX:MaxVectorSize=32} on AVX-512 gives 8 lanes
 * with 32 registers. Anything unknown counts 16, the tile that never spills.
 *
 * <p>{@code -Dmlp.engine.tileRows=6} or {@code 8} overrides the choice, for benchmarks that compare tiles.
 */
final class Registers {

    private Registers() {
    }

    /** Vector registers available to compiled code: 16 or 32. */
    static int count() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return 32;
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return useAvx() >= 3 ? 32 : 16;
        }
        return 16;
    }

    /**
     * Rows of the kernel's tile of rows × 2 vectors: 8 with 32 registers (16 accumulators, 2 loads,
     * a broadcast), 6 with 16 (12 + 2 + 1 = 15), unless {@code mlp.engine.tileRows} says 6 or 8.
     */
    static int tileRows(int registers) {
        String forced = System.getProperty("mlp.engine.tileRows", "").trim();
        if (forced.equals("6") || forced.equals("8")) {
            return Integer.parseInt(forced);
        }
        return registers >= 32 ? 8 : 6;
    }

    /** HotSpot's {@code UseAVX} (0–3), or 0 where the JVM does not say (another VM, no management module). */
    private static int useAvx() {
        try {
            return Integer.parseInt(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
