package org.mlpservice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mlpservice.testing.ClusterDatabase;
import org.mlpservice.testing.Replica;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster mode's scale figure (README, "Cluster mode"): 1, 2 and 3 replicas (child JVMs, one worker each)
 * on one PostgreSQL database drain a queue of 30 small training jobs; for each count, jobs per minute
 * (first submission to last end) and the database's share of the CPU time the run took (PostgreSQL's
 * processes against the replicas', read from /proc on this machine). Needs {@code MLP_TEST_JDBC_URL}
 * (a local server: its processes must be visible). A benchmark, not a test: run it with
 * {@code ./mvnw -B -q -Pcluster-bench -DskipTests verify}.
 */
public final class ClusterBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int JOBS = Integer.getInteger("bench.jobs", 30);
    /** A small job: 200 rows, batches of 10, 150 epochs (3,000 mini-batches of the lecture's 2-20-1 network). */
    private static final int EPOCHS = Integer.getInteger("bench.epochs", 150);

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("Cluster benchmark: %d jobs of %d epochs (200 rows, batch 10, 2-20-1), one worker per replica, %d cores%n",
                JOBS, EPOCHS, Runtime.getRuntime().availableProcessors());
        System.out.println("replicas | wall s | jobs/min | database CPU share | db CPU s | replicas CPU s");
        for (int n = 1; n <= 3; n++) {
            run(n);
        }
    }

    private static void run(int replicas) throws Exception {
        String url = ClusterDatabase.fresh();
        Path dir = Files.createTempDirectory("cluster-bench");
        List<Replica> started = new ArrayList<>();
        try {
            String[] common = {"--mlp.cluster.enabled=true", "--spring.datasource.url=" + url, "--mlp.storage.dir=" + dir.resolve("data"),
                    "--mlp.training.workers=1", "--mlp.training.queue-capacity=" + JOBS, "--logging.level.root=WARN"};
            started.add(Replica.start("r1", dir, with(common, "--mlp.cluster.replica-id=r1")));
            URI first = started.get(0).uri("");
            String dataset = post(first, "/api/v1/datasets/generate", "{\"kind\": \"circles\", \"samples\": 200, \"noise\": 0.1,"
                    + " \"factor\": 0.3, \"seed\": 0, \"name\": \"circles\"}").get("id").asString();
            List<String> models = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                models.add(post(first, "/api/v1/models", "{\"name\": \"m" + i + "\", \"inputs\": 2, \"layers\": [{\"units\": 20,"
                        + " \"activation\": \"relu\"}, {\"units\": 1, \"activation\": \"sigmoid\"}], \"loss\": \"binary_crossentropy\"}")
                        .get("id").asString());
            }
            for (int r = 2; r <= replicas; r++) {
                started.add(Replica.start("r" + r, dir, with(common, "--mlp.cluster.replica-id=r" + r)));
            }
            Thread.sleep(2000); // let the JVMs settle after start-up
            double dbBefore = cpuSeconds(postgresPids());
            double replicasBefore = cpuSeconds(javaChildren());
            long began = System.nanoTime();
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(post(started.get(i % replicas).uri(""), "/api/v1/training-jobs", "{\"modelId\": \"" + models.get(i)
                        + "\", \"datasetId\": \"" + dataset + "\", \"epochs\": " + EPOCHS + ", \"batchSize\": 10, \"seed\": " + i
                        + ", \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.1}}").get("id").asString());
            }
            for (String job : jobs) {
                while (true) {
                    String state = get(first, "/api/v1/training-jobs/" + job).get("state").asString();
                    if (state.equals("SUCCEEDED")) {
                        break;
                    }
                    if (state.equals("FAILED") || state.equals("CANCELLED")) {
                        throw new IllegalStateException("job " + job + " ended " + state);
                    }
                    Thread.sleep(50);
                }
            }
            double wall = (System.nanoTime() - began) / 1e9;
            double db = cpuSeconds(postgresPids()) - dbBefore;
            double rep = cpuSeconds(javaChildren()) - replicasBefore;
            System.out.printf(Locale.ROOT, "%8d | %6.1f | %8.1f | %17.1f%% | %8.2f | %14.2f%n", replicas, wall, JOBS * 60 / wall,
                    100 * db / (db + rep), db, rep);
        } finally {
            for (Replica r : started) {
                r.close();
            }
        }
    }

    private static String[] with(String[] common, String more) {
        String[] all = java.util.Arrays.copyOf(common, common.length + 1);
        all[common.length] = more;
        return all;
    }

    private static JsonNode post(URI base, String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode get(URI base, String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static List<Long> postgresPids() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private static List<Long> javaChildren() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).toList();
    }

    /** User + system CPU seconds of the processes, from /proc/{pid}/stat (clock ticks of 1/100 s). */
    private static double cpuSeconds(List<Long> pids) {
        double total = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime
            } catch (Exception gone) {
                // exited meanwhile
            }
        }
        return total;
    }
}
