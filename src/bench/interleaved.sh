#!/usr/bin/env bash
# Issue 17's comparison: the engine (AVX-512 or the JVM's default, then the 256-bit path with
# -XX:UseAVX=2 -XX:MaxVectorSize=32) and PyTorch / scikit-learn in the same minutes, ROUNDS
# interleaved rounds of W1, W2, W3 (2 threads) and W3 (1 thread). Then the per-round ratios:
#
#   ./mvnw -B -q -Pbench -DskipTests verify -Dbench.workloads=K     # compiles src/bench
#   ROUNDS=7 src/bench/interleaved.sh | tee rounds.log && /usr/bin/python3 src/bench/python/ratios.py rounds.log
#
# Needs Debian's python3-torch and python3-sklearn. A benchmark, never a test.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
CP="target/classes:target/test-classes:$(cat target/bench-cp.txt)"
eng() { java -Xmx4g --add-modules=jdk.incubator.vector "$@" -cp "$CP" org.mlpservice.bench.EngineBenchmark . 2>&1 | grep -E '^(workload|machine)' || true; }
peers() { /usr/bin/python3 src/bench/python/peers.py W1,W2,W3 --reps 3; }
AVX2=(-XX:UseAVX=2 -XX:MaxVectorSize=32)
for r in $(seq "${ROUNDS:-7}"); do
    echo "=== round $r $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "--- engine avx512 2 threads"; eng -Dbench.workloads=W1,W2,W3
    echo "--- engine avx512 1 thread";  eng -Dbench.workloads=W3 -Dbench.threads=1
    echo "--- peers avx512"; peers
    echo "--- engine avx2 2 threads"; eng "${AVX2[@]}" -Dbench.workloads=W1,W2,W3
    echo "--- engine avx2 1 thread";  eng "${AVX2[@]}" -Dbench.workloads=W3 -Dbench.threads=1
    echo "--- peers avx2"; ATEN_CPU_CAPABILITY=avx2 OPENBLAS_CORETYPE=Haswell peers
done
