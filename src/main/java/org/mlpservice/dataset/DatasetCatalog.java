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
import java.util.Optional;
import org.mlpservice.storage.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * The datasets of this service: what is the same wherever they are kept. The
 * {@link DatasetRepository} Spring wires keeps them, in the data directory
 * ({@link DirectoryDatasets}, held in memory as primitive arrays and reloaded at start-up, a broken
 * one skipped and reported in health) or, in cluster mode, in the database every replica shares
 * ({@link DatasetTables}: memory is a cache of this replica, and every lookup asks the database
 * whether the dataset is (still) there). Safe for concurrent use: a dataset appears only once it is
 * completely stored, and when the disk or the database refuses a write or a delete
 * ({@link org.mlpservice.storage.StorageUnavailableException}, 503) the catalog is unchanged.
 * <p>
 * A delete, here or (cluster mode, by notification) on another replica, fails this replica's jobs
 * on the dataset ({@link DatasetDeleted}).
 */
@Service
public class DatasetCatalog {

    private static final Logger log = LoggerFactory.getLogger(DatasetCatalog.class);
    private static final Comparator<Dataset> NEWEST_FIRST =
            Comparator.comparing(Dataset::createdAt).reversed().thenComparing(Dataset::id);
    private static final Comparator<DatasetSummary> NEWEST_SUMMARY_FIRST =
            Comparator.comparing(DatasetSummary::createdAt).reversed().thenComparing(DatasetSummary::id);

    private final DatasetRepository repository;
    private final ApplicationEventPublisher events;
    private final SecureRandom random = new SecureRandom();

    /** A catalog on the data directory that tells no one of deletions (tests). */
    public DatasetCatalog(DataDirectory data, JsonMapper json) {
        this(data, json, event -> { });
    }

    /** A catalog on the data directory (tests). */
    public DatasetCatalog(DataDirectory data, JsonMapper json, ApplicationEventPublisher events) {
        this(new DirectoryDatasets(data, json), events);
    }

    @Autowired
    DatasetCatalog(DatasetRepository repository, ApplicationEventPublisher events) {
        this.repository = repository;
        this.events = events;
        repository.onDeletedElsewhere(id -> {
            log.info("Dataset {} was deleted on another replica", id);
            events.publishEvent(new DatasetDeleted(id));
        });
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
        return repository.all().stream().map(DatasetStore.Loaded::dataset).sorted(NEWEST_FIRST).toList();
    }

    /** Every dataset's summary, newest first (GET /datasets); reads no arrays. */
    public List<DatasetSummary> summaries() {
        return repository.summaries().stream().sorted(NEWEST_SUMMARY_FIRST).toList();
    }

    /** Everything about a dataset but its rows, or a 404 problem. */
    public DatasetDescription describe(String id) {
        DatasetStore.Loaded e = entry(id);
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
        repository.save(d, stats);
        log.info("Stored dataset {} '{}': {} rows, {}, {} -> {}", id, d.name(), d.rows(), d.schema().task().key(),
                d.schema().inputWidth(), d.schema().outputWidth());
        return DatasetDescription.of(d, stats);
    }

    /**
     * Removes a dataset and its files, or a 404 problem; then publishes {@link DatasetDeleted}, so
     * training jobs on it stop. Model versions trained on it keep working. The files go first: when
     * the storage refuses (503), the dataset stays listed and its jobs run on.
     */
    public void delete(String id) {
        // Two deletes of one dataset: the second finds it gone and answers 404.
        if (id == null || !repository.delete(id)) {
            throw new DatasetNotFoundException(id);
        }
        log.info("Deleted dataset {}", id);
        events.publishEvent(new DatasetDeleted(id));
    }

    /** Rows {@code offset .. offset + limit - 1} decoded to column values (fewer at the end), or a 404 problem. */
    public RowsPage rows(String id, int offset, int limit) {
        DatasetStore.Loaded e = entry(id);
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

    private DatasetStore.Loaded entry(String id) {
        return (id == null ? Optional.<DatasetStore.Loaded>empty() : repository.find(id))
                .orElseThrow(() -> new DatasetNotFoundException(id));
    }

    private String newId() {
        byte[] bytes = new byte[6];
        String id;
        do {
            random.nextBytes(bytes);
            id = "ds-" + HexFormat.of().formatHex(bytes);
        } while (repository.known(id));
        return id;
    }
}
