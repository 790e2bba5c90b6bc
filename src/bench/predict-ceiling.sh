#!/usr/bin/env bash
# Predictions at the server's own ceiling (issue 17): the lecture's 2-20-1 version, single-row
# POST /api/v1/models/{id}/predict, against the same server's static /favicon.svg, measured with wrk
# in interleaved rounds (static, predict, static, predict, ...), then batch throughput (rows/s) for
# 1, 100 and 10,000 rows per request. Prints every round and the medians, with the CPU it ran on.
#
#   ./mvnw -B -q package -DskipTests && src/bench/predict-ceiling.sh
#   ROUNDS=7 DURATION=8s CONNECTIONS=8 JAVA_OPTS="-XX:+FlightRecorder" src/bench/predict-ceiling.sh
#   JAR=/tmp/before.jar SKIP_RATIO=1 src/bench/predict-ceiling.sh     # another build, batch sizes only
#
# Needs wrk (apt-get install wrk), curl and python3. Starts the jar on a free port with a temporary
# data directory (demo data off) and stops it at the end, whatever happens. A benchmark, never a test.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-1}
WARMUP=${WARMUP:-8s}
PORT=${PORT:-18777}
BATCH_SIZES=${BATCH_SIZES:-1 100 10000}
SKIP_RATIO=${SKIP_RATIO:-}   # set to measure the batch sizes only
JAVA_OPTS=${JAVA_OPTS:-}

command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
shopt -s nullglob
jars=(${JAR:-target/mlp-service-*.jar})   # JAR=other.jar measures another build (a baseline)
shopt -u nullglob
(( ${#jars[@]} == 1 )) || { echo "expected one target/mlp-service-*.jar: ./mvnw -B -q package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores," \
     "avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no), java: $(java -version 2>&1 | head -1)"
echo "wrk: $THREADS thread(s) x $CONNECTIONS connections, $DURATION per run, $ROUNDS interleaved rounds"

# shellcheck disable=SC2086
java --add-modules=jdk.incubator.vector $JAVA_OPTS -jar "${jars[0]}" --server.port="$PORT" \
    --mlp.storage.dir="$work/data" --mlp.demo.enabled=false >"$work/server.log" 2>&1 &
server_pid=$!
base="http://localhost:$PORT"
for _ in $(seq 90); do
    curl -sf "$base/actuator/health/readiness" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { tail -40 "$work/server.log" >&2; exit 1; }
    sleep 1
done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sf "$base$1" -H 'Content-Type: application/json' -d "$2"; }

# The lecture: circles(100, noise 0.15, factor 0.3), 2-20-1, SGD 0.1, batch 10, 100 epochs.
ds=$(post /api/v1/datasets/generate '{"kind":"circles","samples":100,"noise":0.15,"factor":0.3,"seed":0}' | json "['id']")
model=$(post /api/v1/models '{"name":"bench-lecture","inputs":2,"layers":[{"units":20,"activation":"relu"},
  {"units":1,"activation":"sigmoid"}],"loss":"binary_crossentropy"}' | json "['id']")
job=$(post /api/v1/training-jobs "{\"modelId\":\"$model\",\"datasetId\":\"$ds\",\"epochs\":100,\"batchSize\":10,
  \"optimizer\":{\"type\":\"sgd\",\"learningRate\":0.1}}" | json "['id']")
for _ in $(seq 300); do
    state=$(curl -sf "$base/api/v1/training-jobs/$job" | json "['state']")
    [[ $state == SUCCEEDED ]] && break
    [[ $state == QUEUED || $state == RUNNING ]] || { echo "training ended $state" >&2; exit 1; }
    sleep 0.2
done

# A request body of n rows, and the wrk script that posts it.
body_script() {
    local n=$1
    python3 - "$n" "$work/body-$n.lua" <<'EOF'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(n)
body = json.dumps({"instances": [[round(rng.uniform(-1, 1), 4), round(rng.uniform(-1, 1), 4)] for _ in range(n)]})
with open(path, "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    f.write("wrk.body = " + json.dumps(body) + "\n")
EOF
}
for n in 1 $BATCH_SIZES; do body_script "$n"; done
check=$(post "/api/v1/models/$model/predict" '{"instances":[[0.1,0.2]]}' | json "['predictions'][0]['label']")
echo "model $model trained; predict [[0.1, 0.2]] -> label $check"

# "<requests/s> <p99 ms>" of one wrk run; fails on any non-2xx answer.
run() {
    local out p99 rate
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency ${3:+-s "$3"} "$base$1")
    if grep -q 'Non-2xx' <<<"$out"; then echo "non-2xx answers from $1:" >&2; echo "$out" >&2; exit 1; fi
    rate=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)}
                else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' <<<"$out")
    echo "$rate $p99"
}
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

predict="/api/v1/models/$model/predict"
echo "warm-up: $WARMUP each"
run /favicon.svg "$WARMUP" >/dev/null
run "$predict" "$WARMUP" "$work/body-1.lua" >/dev/null

: >"$work/static" ; : >"$work/predict"
for r in $(seq "$([[ -n $SKIP_RATIO ]] && echo 0 || echo "$ROUNDS")"); do
    read -r s sp <<<"$(run /favicon.svg "$DURATION")"
    read -r p pp <<<"$(run "$predict" "$DURATION" "$work/body-1.lua")"
    echo "$s $sp" >>"$work/static"; echo "$p $pp" >>"$work/predict"
    printf 'round %d: static %9.0f req/s (p99 %6.2f ms)   predict 1 row %9.0f req/s (p99 %6.2f ms)   ratio %.2f\n' \
        "$r" "$s" "$sp" "$p" "$pp" "$(python3 -c "print($p / $s)")"
done
if [[ -z $SKIP_RATIO ]]; then
    ms=$(cut -d' ' -f1 "$work/static" | median); msp=$(cut -d' ' -f2 "$work/static" | median)
    mp=$(cut -d' ' -f1 "$work/predict" | median); mpp=$(cut -d' ' -f2 "$work/predict" | median)
    printf 'median: static %.0f req/s (p99 %.2f ms), predict %.0f req/s (p99 %.2f ms), predict/static %.2f\n' \
        "$ms" "$msp" "$mp" "$mpp" "$(python3 -c "print($mp / $ms)")"
fi

echo "batch throughput (rows/s = requests/s x rows per request; medians of $ROUNDS runs of $DURATION):"
for n in $BATCH_SIZES; do
    : >"$work/batch-$n"
    for _ in $(seq "$ROUNDS"); do run "$predict" "$DURATION" "$work/body-$n.lua" >>"$work/batch-$n"; done
    rate=$(cut -d' ' -f1 "$work/batch-$n" | median); p99=$(cut -d' ' -f2 "$work/batch-$n" | median)
    printf '  %6d rows/request: %10.0f req/s  %12.0f rows/s  (p99 %.2f ms)\n' "$n" "$rate" \
        "$(python3 -c "print($rate * $n)")" "$p99"
done
