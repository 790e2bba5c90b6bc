package org.mlpservice.dataset;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mlpservice.storage.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The datasets of this service: held in memory (primitive arrays), stored in the data directory
 * ({@link DatasetStore} describes the files) and reloaded at start-up, a broken one skipped and
 * reported in health. Safe for concurrent use: lookups never wait, and a dataset appears only once
 * its files are complete. Disk first, memory after: when the disk refuses a write or a delete
 * ({@link org.mlpservice.storage.StorageUnavailableException}, 503) the catalog is unchanged.
 * <p>
 * In cluster mode ({@link DatasetTables}) the database is the catalog and memory a cache of this
 * replica: every lookup asks the database whether the dataset is (still) there, the arrays are read
 * once (a chunk at a time) and kept, and a dataset deleted or replaced on another replica is dropped
 * from the cache when its notification arrives; a delete there also fails this replica's jobs on it
 * ({@link DatasetDeleted}). A database fault is a 503 like a refusing disk.
 */
@Service
public class DatasetCatalog {

    private static final Logger log = LoggerFactory.getLogger(DatasetCatalog.class);

    private record Entry(Dataset dataset, DatasetStats stats) {
    }

    /** Every dataset (default mode), or the ones this replica has read (cluster mode). */
    private final Map<String, Entry> datasets = new ConcurrentHashMap<>();
    private final DatasetStore store;
    /** Cluster mode's tables; null in the default mode (the data directory alone). */
    private final DatasetTables shared;
    /** One lock per dataset being read from the database, so that it is read once. */
    private final Map<String, Object> reading = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    private final SecureRandom random = new SecureRandom();

    /** A catalog that tells no one of deletions (tests). */
    public DatasetCatalog(DataDirectory data, JsonMapper json) {
        this(data, json, event -> { });
    }

    public DatasetCatalog(DataDirectory data, JsonMapper json, ApplicationEventPublisher events) {
        this(data, json, events, (DatasetTables) null);
    }

    @Autowired
    DatasetCatalog(DataDirectory data, JsonMapper json, ApplicationEventPublisher events, ObjectProvider<DatasetTables> tables) {
        this(data, json, events, tables.getIfAvailable());
    }

    private DatasetCatalog(DataDirectory data, JsonMapper json, ApplicationEventPublisher events, DatasetTables shared) {
        this.store = new DatasetStore(data, json);
        this.events = events;
        this.shared = shared;
        if (shared != null) {
            shared.onChangeElsewhere((change, id) -> {
                datasets.remove(id);
                if (change == DatasetTables.Change.DELETED) {
                    log.info("Dataset {} was deleted on another replica", id);
                    events.publishEvent(new DatasetDeleted(id));
                }
            });
            log.info("Datasets: in the cluster's database");
            return;
        }
        for (DatasetStore.Loaded loaded : store.loadAll()) {
            datasets.put(loaded.dataset().id(), new Entry(loaded.dataset(), loaded.stats()));
        }
        log.info("Loaded {} dataset(s) from {}", datasets.size(), store.directory());
    }

    /** The dataset, or a 404 problem. */
    public Dataset get(String id) {
        return entry(id).dataset();
    }

    /**
     * Every dataset, newest first. In cluster mode this reads the arrays of every dataset this
     * replica has not read yet: {@link #summaries()} lists without them.
     */
    public List<Dataset> list() {
        if (shared != null) {
            List<Dataset> all = new ArrayList<>();
            for (String id : shared.ids()) {
                try {
                    all.add(get(id));
                } catch (DatasetNotFoundException e) {
                    // deleted meanwhile
                }
            }
            return all;
        }
        return datasets.values().stream().map(Entry::dataset)
                .sorted(Comparator.comparing(Dataset::createdAt).reversed().thenComparing(Dataset::id)).toList();
    }

    /** Every dataset's summary, newest first (GET /datasets); reads no arrays. */
    public List<DatasetSummary> summaries() {
        return shared != null ? shared.summaries() : list().stream().map(DatasetSummary::of).toList();
    }

    /** Everything about a dataset but its rows, or a 404 problem. */
    public DatasetDescription describe(String id) {
        Entry e = entry(id);
        return DatasetDescription.of(e.dataset(), e.stats());
    }

    /**
     * Stores a new dataset under a fresh id ({@code ds-} and 12 hex digits) and returns its
     * description. The files are written before the dataset becomes visible.
     */
    public DatasetDescription add(NewDataset n) {
        return add(newId(), n);
    }

    /**
     * Stores a new dataset under the given id, one a fresh id can never be (the demo data's
     * {@link LectureCircles#ID}); a dataset of that id is replaced.
     */
    DatasetDescription add(String id, NewDataset n) {
        // Millisecond precision: what JSON shows and what a reload gives back are the same instant.
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Dataset d = new Dataset(id, n.name(), createdAt, n.source(), n.schema(), n.rows(), n.x(), n.y(), n.sha256(), n.ignored());
        DatasetStats stats = DatasetStats.of(d, n.columns(), n.droppedRows());
        if (shared != null) {
            shared.save(d, stats);
        } else {
            store.save(d, stats);
        }
        datasets.put(id, new Entry(d, stats));
        log.info("Stored dataset {} '{}': {} rows, {}, {} -> {}", id, d.name(), d.rows(), d.schema().task().key(),
                d.schema().inputWidth(), d.schema().outputWidth());
        return DatasetDescription.of(d, stats);
    }

    /**
     * Removes a dataset and its files, or a 404 problem; then publishes {@link DatasetDeleted}, so
     * training jobs on it stop. Model versions trained on it keep working. The files go first: when
     * the disk refuses, the dataset stays listed and its jobs run on.
     */
    public void delete(String id) {
        if (shared != null) {
            if (!shared.delete(id)) {
                throw new DatasetNotFoundException(id);
            }
            datasets.remove(id);
            reading.remove(id);
            log.info("Deleted dataset {}", id);
            events.publishEvent(new DatasetDeleted(id));
            return;
        }
        Entry e = entry(id);
        synchronized (e) {
            // Two deletes of one dataset: the second finds it gone and answers 404.
            if (datasets.get(id) != e) {
                throw new DatasetNotFoundException(id);
            }
            store.delete(id);
            datasets.remove(id, e);
        }
        log.info("Deleted dataset {}", id);
        events.publishEvent(new DatasetDeleted(id));
    }

    /** Rows {@code offset .. offset + limit - 1} decoded to column values (fewer at the end), or a 404 problem. */
    public RowsPage rows(String id, int offset, int limit) {
        Entry e = entry(id);
        Dataset d = e.dataset();
        List<ColumnLayout> layouts = e.stats().columns().stream()
                .map(c -> ColumnLayout.of(d, c.name())).toList();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r = offset; r < d.rows() && r - offset < limit; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (ColumnLayout layout : layouts) {
                row.put(layout.name(), layout.value(d, r));
            }
            rows.add(row);
        }
        return new RowsPage(offset, limit, d.rows(), rows);
    }

    private Entry entry(String id) {
        if (shared != null && id != null) {
            return sharedEntry(id);
        }
        Entry e = id == null ? null : datasets.get(id);
        if (e == null) {
            throw new DatasetNotFoundException(id);
        }
        return e;
    }

    /** The cached copy while the database holds that very dataset, else the database's, read once. */
    private Entry sharedEntry(String id) {
        Instant storedAt = shared.storedAt(id).orElseThrow(() -> new DatasetNotFoundException(id));
        Entry e = datasets.get(id);
        if (e != null && e.dataset().createdAt().equals(storedAt)) {
            return e;
        }
        synchronized (reading.computeIfAbsent(id, k -> new Object())) {
            e = datasets.get(id);
            if (e == null || !e.dataset().createdAt().equals(storedAt)) {
                DatasetStore.Loaded loaded = shared.load(id).orElseThrow(() -> new DatasetNotFoundException(id));
                e = new Entry(loaded.dataset(), loaded.stats());
                datasets.put(id, e);
            }
            return e;
        }
    }

    private String newId() {
        byte[] bytes = new byte[6];
        String id;
        do {
            random.nextBytes(bytes);
            id = "ds-" + HexFormat.of().formatHex(bytes);
        } while (datasets.containsKey(id));
        return id;
    }
}
