package org.mlpservice.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.mlpservice.cluster.Notifications;
import org.mlpservice.storage.Database;
import org.mlpservice.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link DatasetRepository} of cluster mode: the database every replica shares. A {@code dataset} row holds
 * the metadata the data directory keeps in {@code <id>.json}, and the {@link Database} file
 * {@code datasets/<id>.bin} the arrays in {@link DatasetStore}'s format, in 1 MiB chunks. Row and
 * file are written (and deleted) in one transaction, so a dataset is complete the moment another
 * replica can see it. Every store and delete is announced on the {@value #CHANNEL} channel at
 * commit, so that the replicas drop what they cached of it at once.
 *
 * <p>Memory is a cache of this replica: every lookup asks the database whether the dataset is
 * (still) there and when it was stored, the arrays are read once (a chunk at a time, one reader per
 * dataset) and kept while the database holds that very dataset, and a dataset deleted or replaced
 * on another replica is dropped from the cache when its notification arrives.
 */
@Component
@ConditionalOnProperty(name = "mlp.cluster.enabled", havingValue = "true")
class DatasetTables implements DatasetRepository {

    static final String CHANNEL = "datasets";

    private static final Logger log = LoggerFactory.getLogger(DatasetTables.class);

    /** What a notification says happened to a dataset. */
    private enum Change { STORED, DELETED }

    private final Database database;
    private final Notifications notifications;
    private final JsonMapper json;
    /** Tells this replica's notifications from the others'. */
    private final String origin = UUID.randomUUID().toString();
    /** The datasets this replica has read (or stored). */
    private final Map<String, DatasetStore.Loaded> cached = new ConcurrentHashMap<>();
    /** One lock per dataset being read from the database, so that it is read once. */
    private final Map<String, Object> reading = new ConcurrentHashMap<>();

    DatasetTables(Database database, Notifications notifications, JsonMapper json) {
        this.database = database;
        this.notifications = notifications;
        this.json = json;
        log.info("Datasets: in the cluster's database");
    }

    /**
     * Another replica's store or delete drops this replica's copy; {@code handler} hears of a delete
     * after that and must be quick.
     */
    @Override
    public void onDeletedElsewhere(Consumer<String> handler) {
        notifications.listen(CHANNEL, payload -> {
            String[] parts = payload.split(" ", 3);
            if (parts.length == 3 && !parts[2].equals(origin)) {
                cached.remove(parts[1]);
                if (Change.valueOf(parts[0]) == Change.DELETED) {
                    handler.accept(parts[1]);
                }
            }
        });
    }

    /** The cached copy while the database holds that very dataset, else the database's, read once. */
    @Override
    public Optional<DatasetStore.Loaded> find(String id) {
        Optional<Instant> storedAt = storedAt(id);
        if (storedAt.isEmpty()) {
            return Optional.empty();
        }
        DatasetStore.Loaded e = cached.get(id);
        if (e != null && e.dataset().createdAt().equals(storedAt.get())) {
            return Optional.of(e);
        }
        synchronized (reading.computeIfAbsent(id, k -> new Object())) {
            e = cached.get(id);
            if (e == null || !e.dataset().createdAt().equals(storedAt.get())) {
                Optional<DatasetStore.Loaded> loaded = load(id);
                if (loaded.isEmpty()) {
                    return loaded;
                }
                e = loaded.get();
                cached.put(id, e);
            }
            return Optional.of(e);
        }
    }

    /** Every dataset, those this replica has not read yet read now. */
    @Override
    public List<DatasetStore.Loaded> all() {
        List<DatasetStore.Loaded> all = new ArrayList<>();
        for (String id : ids()) {
            find(id).ifPresent(all::add); // absent: deleted meanwhile
        }
        return all;
    }

    @Override
    public boolean known(String id) {
        return cached.containsKey(id);
    }

    /** Stores (or replaces) the dataset: arrays and row in one transaction. */
    @Override
    public void save(Dataset d, DatasetStats stats) {
        database.inTransaction(() -> {
            CRC32 crc = new CRC32();
            database.writeFile(file(d.id()), out -> DatasetStore.writeData(d, new CheckedOutputStream(out, crc)));
            String metadata = json.writeValueAsString(DatasetStore.metadata(d, stats, crc.getValue()));
            database.jdbc().update("INSERT INTO dataset (id, name, created_at, metadata) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, created_at = excluded.created_at,"
                            + " metadata = excluded.metadata",
                    d.id(), d.name(), d.createdAt().atOffset(ZoneOffset.UTC), metadata);
            notifications.send(CHANNEL, Change.STORED + " " + d.id() + " " + origin);
            return null;
        });
        cached.put(d.id(), new DatasetStore.Loaded(d, stats));
    }

    /** Deletes the dataset; false when there was none. */
    @Override
    public boolean delete(String id) {
        boolean deleted = database.inTransaction(() -> {
            if (database.jdbc().update("DELETE FROM dataset WHERE id = ?", id) == 0) {
                return false;
            }
            database.deleteFiles(file(id));
            notifications.send(CHANNEL, Change.DELETED + " " + id + " " + origin);
            return true;
        });
        if (deleted) {
            cached.remove(id);
            reading.remove(id);
        }
        return deleted;
    }

    /** When the dataset was stored, which tells a cached copy from a replaced one; empty when there is none. */
    private Optional<Instant> storedAt(String id) {
        List<OffsetDateTime> at = database.translated(() -> database.jdbc().queryForList(
                "SELECT created_at FROM dataset WHERE id = ?", OffsetDateTime.class, id));
        return at.isEmpty() ? Optional.empty() : Optional.of(at.get(0).toInstant());
    }

    /** The dataset with its arrays, read a chunk at a time; empty when there is none. */
    private Optional<DatasetStore.Loaded> load(String id) {
        List<String> rows = database.translated(() -> database.jdbc().queryForList(
                "SELECT metadata FROM dataset WHERE id = ?", String.class, id));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            DatasetStore.Metadata meta = DatasetStore.readMetadata(json, rows.get(0).getBytes(StandardCharsets.UTF_8));
            InputStream data = database.openFile(file(id));
            if (data == null) {
                return Optional.empty(); // deleted between the two reads
            }
            try (InputStream in = new BufferedInputStream(data, 1 << 16)) {
                return Optional.of(DatasetStore.readData(meta, in));
            }
        } catch (IOException e) {
            if (e.getCause() instanceof StorageUnavailableException unavailable) {
                throw unavailable;
            }
            if (storedAt(id).isEmpty()) {
                return Optional.empty(); // deleted while it was read
            }
            log.error("Dataset {} in the database cannot be read: {}", id, e.getMessage());
            throw new StorageUnavailableException("Dataset " + id + " cannot be read from the database (" + e.getMessage()
                    + ")");
        }
    }

    /** Every dataset's summary, from the metadata alone (no arrays are read). */
    @Override
    public List<DatasetSummary> summaries() {
        List<String> rows = database.translated(() -> database.jdbc().queryForList(
                "SELECT metadata FROM dataset", String.class));
        List<DatasetSummary> summaries = new ArrayList<>();
        for (String row : rows) {
            try {
                DatasetStore.Metadata m = DatasetStore.readMetadata(json, row.getBytes(StandardCharsets.UTF_8));
                summaries.add(new DatasetSummary(m.id(), m.name(), m.createdAt(), m.source(), m.rows(), m.schema().task(),
                        m.schema().targets(), m.schema().inputWidth(), m.schema().outputWidth()));
            } catch (IOException | RuntimeException e) {
                log.error("A dataset's metadata in the database cannot be read: {}", e.getMessage());
            }
        }
        return summaries;
    }

    private List<String> ids() {
        return database.translated(() -> database.jdbc().queryForList("SELECT id FROM dataset", String.class));
    }

    private static String file(String id) {
        return "datasets/" + id + ".bin";
    }
}
