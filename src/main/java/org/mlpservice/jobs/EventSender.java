package org.mlpservice.jobs;

import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.mlpservice.web.RetryableException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Where event streams write: admits a stream while there is room ({@code mlp.events.max-streams} in
 * all, {@code max-streams-per-job} on one job), and lends the threads that write its events, so
 * that neither a training thread nor a request thread ever waits for a client's socket. A stream's
 * writes run one at a time on a thread of their own while it has events waiting; a client that does
 * not read holds that one thread until the container's write timeout, never anyone else's.
 */
@Component
@EnableConfigurationProperties(EventsProperties.class)
public class EventSender {

    /** Seconds a client refused for want of room is told to wait. */
    static final long RETRY_SECONDS = 5;

    private final EventsProperties properties;
    private final Executor writers;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger open = new AtomicInteger();
    /** Open streams, for the heartbeat; a closed one leaves at the next beat. */
    private final Set<EventStream<?, ?>> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats;
    private final ConcurrentHashMap<String, AtomicInteger> openPerJob = new ConcurrentHashMap<>();

    @Autowired
    public EventSender(EventsProperties properties) {
        this.properties = properties;
        AtomicInteger number = new AtomicInteger();
        // A thread per stream that has events waiting, at most one per admitted stream (and as many again
        // for streams closed while their last write still blocks); idle threads go after 30 s.
        this.pool = new ThreadPoolExecutor(0, 2 * properties.maxStreams(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "sse-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.writers = pool;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sse-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = properties.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Sends each idle stream a comment: a client that went away fails the write, and its place is freed. */
    public void beat() {
        streams.removeIf(stream -> !stream.heartbeat());
    }

    private EventSender(EventsProperties properties, Executor writers) {
        this.properties = properties;
        this.pool = null;
        this.writers = writers;
        this.heartbeats = null; // tests beat by hand
    }

    /** Writes on the caller's thread: for tests that want to see each event as it is published. */
    public static EventSender direct(int buffer) {
        return new EventSender(new EventsProperties(Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2, buffer), Runnable::run);
    }

    /** Writes on the given executor (tests hold its tasks back to play a client that does not read). */
    public static EventSender on(Executor writers, int buffer) {
        return new EventSender(new EventsProperties(Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2, buffer), writers);
    }

    /**
     * Admits one more stream on {@code job} (a job's or search's id, prefixed by its kind), or refuses:
     * 429 when that job has {@code max-streams-per-job} open, 503 when the service has {@code max-streams}.
     */
    public Slot admit(String job) {
        boolean[] admitted = {false};
        // One atomic step per job's counter: a release that empties it cannot race an admit into a lost count.
        openPerJob.compute(job, (key, count) -> {
            int now = count == null ? 0 : count.get();
            if (now >= properties.maxStreamsPerJob()) {
                return count;
            }
            admitted[0] = true;
            AtomicInteger next = count == null ? new AtomicInteger() : count;
            next.incrementAndGet();
            return next;
        });
        if (!admitted[0]) {
            throw new RetryableException(HttpStatus.TOO_MANY_REQUESTS, "Too many event streams",
                    properties.maxStreamsPerJob() + " event streams are already open on this job (mlp.events.max-streams-per-job);"
                            + " close one or poll the job instead", RETRY_SECONDS);
        }
        if (open.incrementAndGet() > properties.maxStreams()) {
            open.decrementAndGet();
            release(job);
            throw new RetryableException(HttpStatus.SERVICE_UNAVAILABLE, "Too many event streams",
                    properties.maxStreams() + " event streams are open (mlp.events.max-streams); try again later or poll the job",
                    RETRY_SECONDS);
        }
        return new Slot(job);
    }

    /**
     * Opens a stream on {@code emitter} for the job {@code key} names, if there is room ({@link #admit}):
     * {@code make} builds it around its admitted place, and it sends its state at once.
     */
    public <S extends EventStream<?, ?>> S open(String key, SseEmitter emitter, BiFunction<SseEmitter, Slot, S> make) {
        S stream = make.apply(emitter, admit(key));
        stream.open();
        streams.add(stream);
        return stream;
    }

    private void release(String job) {
        openPerJob.computeIfPresent(job, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Open streams in all. */
    public int openStreams() {
        return open.get();
    }

    @PreDestroy
    public void stop() {
        if (pool != null) {
            pool.shutdownNow();
            heartbeats.shutdownNow();
        }
    }

    /** One admitted stream's place: its buffer size, its writer threads, and its release (once). */
    public final class Slot {

        private final String job;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String job) {
            this.job = job;
        }

        int buffer() {
            return properties.buffer();
        }

        Executor writers() {
            return writers;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
                EventSender.this.release(job);
            }
        }
    }
}
