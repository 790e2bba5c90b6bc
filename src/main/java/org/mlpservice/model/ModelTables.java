package org.mlpservice.model;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import org.mlpservice.cluster.Notifications;
import org.mlpservice.storage.Database;
import org.mlpservice.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The {@link ModelRepository} of cluster mode: the database every replica shares. A {@code model} row holds the
 * definition ({@code model.json} of the data directory) under a name unique across the replicas; a
 * {@code model_version} row numbers a version whose content (weights, scaling, lineage) is the
 * {@link Database} file {@code models/<id>/versions/<n>.json}, in {@link ModelStore}'s format;
 * {@code model_alias} rows are the aliases. Definitions, version numbers and aliases are read
 * fresh on every lookup (one round trip), so a replica sees what another did at once; the
 * versions themselves are immutable and kept once read, until their model is deleted (announced
 * on the {@value #CHANNEL} channel).
 *
 * <p><b>Publication</b> ({@link #publish}) runs through {@link Database#inTransaction}, that is
 * Spring's {@code JdbcTemplate} with propagation REQUIRED: called inside a transaction that is
 * already open on this DataSource (the training job's, whose first statement checks its fence),
 * it joins it, so the version exists only if that transaction commits. It takes the model row's
 * lock ({@code UPDATE ... last_version + 1}): two replicas publishing at once get consecutive
 * numbers, and a rolled-back publication gives its number back, so there are no gaps. A training
 * job publishes at most once ({@code training_job_id} is unique): publishing again for the same job
 * answers the version it already published.
 */
@Component
@ConditionalOnProperty(name = "mlp.cluster.enabled", havingValue = "true")
class ModelTables implements ModelRepository {

    static final String CHANNEL = "models";

    private static final Logger log = LoggerFactory.getLogger(ModelTables.class);

    private record VersionKey(String modelId, int version) {
    }

    private final Database database;
    private final Notifications notifications;
    private final Map<VersionKey, ModelVersion> versions = new ConcurrentHashMap<>();
    /** Tells this replica's notifications from the others'. */
    private final String origin = UUID.randomUUID().toString();

    ModelTables(Database database, Notifications notifications) {
        this.database = database;
        this.notifications = notifications;
        log.info("Models: in the cluster's database");
    }

    /** This replica's cache of the model is dropped before {@code handler} hears of it. */
    @Override
    public void onDeletedElsewhere(Consumer<String> handler) {
        notifications.listen(CHANNEL, payload -> {
            String[] parts = payload.split(" ", 3);
            if (parts.length == 3 && parts[0].equals("DELETED")) {
                forget(parts[1]);
                if (!parts[2].equals(origin)) {
                    handler.accept(parts[1]);
                }
            }
        });
    }

    /** The model {@code idOrName} names (an id first, then a name), with its versions and aliases now. */
    @Override
    public Optional<Found> find(String idOrName) {
        List<Found> found = database.translated(() -> database.jdbc().query(
                "SELECT m.definition,"
                        + " (SELECT coalesce(string_agg(v.version::text, ',' ORDER BY v.version), '')"
                        + "    FROM model_version v WHERE v.model_id = m.id) AS versions,"
                        + " (SELECT coalesce(json_object_agg(a.alias, a.version), '{}')::text"
                        + "    FROM model_alias a WHERE a.model_id = m.id) AS aliases"
                        + " FROM model m WHERE m.id = ? OR m.name = ? ORDER BY (m.id = ?) DESC LIMIT 1",
                (rs, i) -> new Found(ModelStore.JSON.readValue(rs.getString(1), ModelDefinition.class),
                        numbers(rs.getString(2)), aliases(rs.getString(3))),
                idOrName, idOrName, idOrName));
        return found.stream().findFirst();
    }

    /** Every definition, newest first. */
    @Override
    public List<ModelDefinition> list() {
        return database.translated(() -> database.jdbc().query(
                "SELECT definition FROM model ORDER BY created_at DESC, id",
                (rs, i) -> ModelStore.JSON.readValue(rs.getString(1), ModelDefinition.class)));
    }

    /** Stores a new definition; a 409 when another model (on any replica) has its name. */
    @Override
    public void create(ModelDefinition definition) {
        try {
            database.inTransaction(() -> insert(definition, 0));
        } catch (DuplicateKeyException e) {
            throw nameTaken(definition.name());
        }
    }

    /** Stores a new model whose version 1 is {@code version}, in one transaction; a 409 for a name taken. */
    @Override
    public void importModel(ModelDefinition definition, ModelVersion version) {
        try {
            database.inTransaction(() -> {
                insert(definition, 1);
                insert(version);
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw nameTaken(definition.name());
        }
        versions.put(new VersionKey(version.modelId(), 1), version);
    }

    /** Deletes the model, its versions, aliases and files; false when there was none. */
    @Override
    public boolean delete(String id) {
        boolean deleted = database.inTransaction(() -> {
            if (database.jdbc().update("DELETE FROM model WHERE id = ?", id) == 0) {
                return false;
            }
            database.deleteFiles("models/" + id);
            notifications.send(CHANNEL, "DELETED " + id + " " + origin);
            return true;
        });
        forget(id);
        return deleted;
    }

    /**
     * Publishes the model's next version, {@code numbered.apply(n)}, in the caller's transaction if
     * one is open (see the class comment); empty when the model is gone. The version its job already
     * published when there is one.
     */
    @Override
    public Optional<ModelVersion> publish(String modelId, String trainingJobId, IntFunction<ModelVersion> numbered) {
        ModelVersion published = database.inTransaction(() -> publishIn(modelId, trainingJobId, numbered));
        if (published != null) {
            versions.put(new VersionKey(modelId, published.version()), published);
        }
        return Optional.ofNullable(published);
    }

    private ModelVersion publishIn(String modelId, String trainingJobId, IntFunction<ModelVersion> numbered) {
        List<Integer> lastVersion = database.jdbc().queryForList(
                "SELECT last_version FROM model WHERE id = ? FOR UPDATE", Integer.class, modelId);
        if (lastVersion.isEmpty()) {
            return null;
        }
        if (trainingJobId != null) {
            List<Integer> already = database.jdbc().queryForList(
                    "SELECT version FROM model_version WHERE training_job_id = ?", Integer.class, trainingJobId);
            if (!already.isEmpty()) {
                log.info("Job {} published version {} of model {} already; not publishing again", trainingJobId,
                        already.get(0), modelId);
                return version(modelId, already.get(0)).orElseThrow();
            }
        }
        int number = lastVersion.get(0) + 1;
        database.jdbc().update("UPDATE model SET last_version = ? WHERE id = ?", number, modelId);
        ModelVersion version = numbered.apply(number);
        insert(version);
        return version;
    }

    /** A version, read once and kept; empty when the database has none of that number. */
    @Override
    public Optional<ModelVersion> version(String modelId, int number) {
        VersionKey key = new VersionKey(modelId, number);
        ModelVersion cached = versions.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        InputStream in = database.openFile(versionFile(modelId, number));
        if (in == null) {
            return Optional.empty();
        }
        ModelVersion version;
        try (in) {
            version = ModelStore.JSON.readValue(in, ModelVersion.class);
        } catch (IOException | RuntimeException e) {
            if (e.getCause() instanceof StorageUnavailableException unavailable) {
                throw unavailable;
            }
            throw new StorageUnavailableException("Version " + number + " of model " + modelId
                    + " cannot be read from the database (" + e.getMessage() + ")");
        }
        versions.put(key, version);
        return Optional.of(version);
    }

    @Override
    public Optional<Map<String, Integer>> setAlias(String modelId, String alias, IntSupplier number) {
        int version = number.getAsInt();
        try {
            return Optional.of(database.inTransaction(() -> {
                database.jdbc().update("INSERT INTO model_alias (model_id, alias, version) VALUES (?, ?, ?)"
                        + " ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version", modelId, alias, version);
                return aliasesOf(modelId);
            }));
        } catch (DataIntegrityViolationException e) {
            return Optional.empty(); // deleted meanwhile, versions and all
        }
    }

    @Override
    public Optional<Map<String, Integer>> removeAlias(String modelId, String alias) {
        return Optional.ofNullable(database.inTransaction(() -> {
            if (database.jdbc().update("DELETE FROM model_alias WHERE model_id = ? AND alias = ?", modelId, alias) == 0) {
                return null;
            }
            return aliasesOf(modelId);
        }));
    }

    private Map<String, Integer> aliasesOf(String modelId) {
        Map<String, Integer> aliases = new TreeMap<>();
        database.jdbc().query("SELECT alias, version FROM model_alias WHERE model_id = ?",
                rs -> {
                    aliases.put(rs.getString(1), rs.getInt(2));
                }, modelId);
        return Collections.unmodifiableMap(aliases);
    }

    private Void insert(ModelDefinition d, int lastVersion) {
        database.jdbc().update("INSERT INTO model (id, name, created_at, definition, last_version) VALUES (?, ?, ?, ?, ?)",
                d.id(), d.name(), d.createdAt().atOffset(ZoneOffset.UTC), ModelStore.JSON.writeValueAsString(d), lastVersion);
        return null;
    }

    private void insert(ModelVersion v) {
        database.jdbc().update("INSERT INTO model_version (model_id, version, created_at, training_job_id, dataset_id)"
                        + " VALUES (?, ?, ?, ?, ?)", v.modelId(), v.version(), v.createdAt().atOffset(ZoneOffset.UTC),
                v.trainingJobId(), v.datasetId());
        database.writeFile(versionFile(v.modelId(), v.version()), out -> ModelStore.JSON.writeValue(out, v));
    }

    private ModelNameTakenException nameTaken(String name) {
        List<String> holder = database.translated(() -> database.jdbc().queryForList(
                "SELECT id FROM model WHERE name = ?", String.class, name));
        return new ModelNameTakenException(name, holder.isEmpty() ? "?" : holder.get(0), "name");
    }

    private void forget(String modelId) {
        versions.keySet().removeIf(k -> k.modelId().equals(modelId));
    }

    private static String versionFile(String modelId, int number) {
        return "models/" + modelId + "/versions/" + number + ".json";
    }

    private static List<Integer> numbers(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.stream(csv.split(",")).map(Integer::valueOf).toList();
    }

    private static Map<String, Integer> aliases(String json) {
        return Collections.unmodifiableMap(new TreeMap<>(ModelStore.JSON.readValue(json, ModelStore.ALIAS_MAP)));
    }
}
