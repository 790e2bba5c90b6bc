package org.mlpservice.engine.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The first core's L1 data and L2 cache sizes, for the kernel's blocking: read from Linux's
 * {@code /sys/devices/system/cpu/cpu0/cache/index*} ({@code level}, {@code type}, {@code size}
 * such as {@code 48K}), else 32 KB and 512 KB, which no current x86 or Arm server core is below.
 */
final class CacheSizes {

    static final int DEFAULT_L1D = 32 * 1024;
    static final int DEFAULT_L2 = 512 * 1024;
    private static final Path CACHE = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /** Bytes of L1 data cache per core. */
    static final int L1D = read(1, "Data", DEFAULT_L1D);
    /** Bytes of L2 cache per core. */
    static final int L2 = read(2, "Unified", DEFAULT_L2);

    private CacheSizes() {
    }

    private static int read(int level, String type, int fallback) {
        for (int index = 0; index < 8; index++) {
            Path dir = CACHE.resolve("index" + index);
            try {
                if (Integer.parseInt(Files.readString(dir.resolve("level")).trim()) == level
                        && Files.readString(dir.resolve("type")).trim().equalsIgnoreCase(type)) {
                    int size = parse(Files.readString(dir.resolve("size")));
                    return size > 0 ? size : fallback;
                }
            } catch (IOException | RuntimeException e) {
                // not readable here (not Linux, a container hiding sysfs): the next index, then the default
            }
        }
        return fallback;
    }

    /** "48K", "1024K", "2M" or a plain byte count; 0 if unreadable. */
    static int parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int unit = 1;
        if (s.endsWith("K")) {
            unit = 1024;
        } else if (s.endsWith("M")) {
            unit = 1024 * 1024;
        }
        if (unit > 1) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            long bytes = Long.parseLong(s) * unit;
            return bytes > 0 && bytes <= Integer.MAX_VALUE ? (int) bytes : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
