package org.mlpservice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** The calling thread's CPU time in nanoseconds, or the wall clock where the JVM cannot measure it. */
final class CpuClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported();

    private CpuClock() {
    }

    static long now() {
        return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** What {@link #now} measures, for the benchmark's output. */
    static String basis() {
        return CPU ? "thread_cpu_time" : "wall_clock";
    }
}
