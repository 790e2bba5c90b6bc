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
 */
@Service
public class DatasetCatalog {

    private static final Logger log = LoggerFactory.getLogger(DatasetCatalog.class);

    private record Entry(Dataset dataset, DatasetStats stats) {
    }

    private final Map<String, Entry> datasets = new ConcurrentHashMap<>();
    private final DatasetStore store;
    private final ApplicationEventPublisher events;
    private final SecureRandom random = new SecureRandom();

    /** A catalog that tells no one of deletions (tests). */
    public DatasetCatalog(DataDirectory data, JsonMapper json) {
        this(data, json, event -> { });
    }

    @Autowired
    public DatasetCatalog(DataDirectory data, JsonMapper json, ApplicationEventPublisher events) {
        this.store = new DatasetStore(data, json);
        this.events = events;
        for (DatasetStore.Loaded loaded : store.loadAll()) {
            datasets.put(loaded.dataset().id(), new Entry(loaded.dataset(), loaded.stats()));
        }
        log.info("Loaded {} dataset(s) from {}", datasets.size(), store.directory());
    }

    /** The dataset, or a 404 problem. */
    public Dataset get(String id) {
        return entry(id).dataset();
    }

    /** Every dataset, newest first. */
    public List<Dataset> list() {
        return datasets.values().stream().map(Entry::dataset)
                .sorted(Comparator.comparing(Dataset::createdAt).reversed().thenComparing(Dataset::id)).toList();
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
        store.save(d, stats);
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
        Entry e = id == null ? null : datasets.get(id);
        if (e == null) {
            throw new DatasetNotFoundException(id);
        }
        return e;
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
