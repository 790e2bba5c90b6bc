package org.mlpservice.storage;

import java.util.List;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The {@code storage} health component (part of readiness):
 * <ul>
 *   <li>{@code DOWN} while the data directory cannot be written: nothing new could be stored, so
 *       the instance should get no traffic until it is mended;</li>
 *   <li>{@link #DEGRADED} when some files could not be read at start-up: everything else works,
 *       so readiness stays 200, and the details list the files (kept on disk for recovery);</li>
 *   <li>{@code UP} otherwise.</li>
 * </ul>
 * In cluster mode ({@link Database}) the store is the database, not the directory: {@code DOWN}
 * while it does not answer a query, {@code UP} otherwise, with {@code database: true|false}.
 * The probe touches the disk (or the database), so its answer is reused for {@value #CACHE_MILLIS} ms:
 * a probe polled every second stays cheap.
 */
@Component
class StorageHealthIndicator implements HealthIndicator {

    /** Works, but some stored files could not be read; the HTTP status stays 200. */
    static final Status DEGRADED = new Status("DEGRADED", "Some stored files could not be read");
    static final long CACHE_MILLIS = 1_500;

    private record Probe(long atNanos, String failure) {
    }

    private final DataDirectory directory;
    /** Cluster mode's store; null in the default mode. */
    private final Database database;
    private final LongSupplier nanoTime;
    private volatile Probe last;

    @Autowired
    StorageHealthIndicator(DataDirectory directory, ObjectProvider<Database> database) {
        this(directory, database.getIfAvailable(), System::nanoTime);
    }

    StorageHealthIndicator(DataDirectory directory, LongSupplier nanoTime) {
        this(directory, null, nanoTime);
    }

    StorageHealthIndicator(DataDirectory directory, Database database, LongSupplier nanoTime) {
        this.directory = directory;
        this.database = database;
        this.nanoTime = nanoTime;
    }

    @Override
    public Health health() {
        String failure = probe();
        if (database != null) {
            Health.Builder health = failure == null ? Health.up() : Health.down().withDetail("error", failure);
            return health.withDetail("database", failure == null).build();
        }
        List<DataDirectory.Unreadable> unreadable = directory.unreadable();
        Health.Builder health = failure != null ? Health.down() : unreadable.isEmpty() ? Health.up() : Health.status(DEGRADED);
        health.withDetail("writable", failure == null);
        if (failure != null) {
            health.withDetail("error", failure);
        }
        return health.withDetail("unreadable", unreadable).build();
    }

    private String probe() {
        long now = nanoTime.getAsLong();
        Probe p = last;
        if (p == null || now - p.atNanos() >= CACHE_MILLIS * 1_000_000L) {
            String failure = null;
            try {
                if (database != null) {
                    database.check();
                } else {
                    directory.checkWritable();
                }
            } catch (StorageUnavailableException e) {
                failure = e.getMessage();
            }
            p = new Probe(now, failure);
            last = p;
        }
        return p.failure();
    }
}
