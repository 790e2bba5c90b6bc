package org.mlpservice.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real instance of the service in a child JVM, for the tests that need a real kill ({@code kill -9})
 * or a restart: the test JVM's class path, the Vector API flag, a free port, its own log file, and the
 * arguments the test gives (cluster mode, the database URL, ...). {@link #close} kills it if still alive.
 */
public final class Replica implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final int port;
    private final Path log;
    private final List<String> arguments;
    private Process process;

    private Replica(String name, int port, Path log, List<String> arguments) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.arguments = arguments;
    }

    /** Starts replica {@code name} with {@code arguments} ({@code --key=value}) and waits until it is ready. */
    public static Replica start(String name, Path logDirectory, String... arguments) throws IOException, InterruptedException {
        Replica replica = new Replica(name, freePort(), logDirectory.resolve(name + ".log"), List.of(arguments));
        replica.launch();
        return replica;
    }

    /** Starts it again on the same port with the same arguments (after {@link #stop} or {@link #kill}). */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules=jdk.incubator.vector");
        command.add("-Xmx512m");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; the tests measure no speed
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.mlpservice.MlpServiceApplication");
        command.add("--server.port=" + port);
        command.add("--mlp.demo.enabled=false");
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady();
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Replica " + name + " exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Replica " + name + " was not ready within " + READY_TIMEOUT + ": " + logTail());
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no graceful anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, the graceful shutdown a rolling restart gives; waits until it has exited. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("Replica " + name + " did not stop within 60 s: " + logTail());
        }
    }

    /** The end of its log, for a failure message. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
