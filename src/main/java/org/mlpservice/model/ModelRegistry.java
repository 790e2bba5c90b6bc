package org.mlpservice.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.mlpservice.dataset.DatasetSchema;
import org.mlpservice.engine.Imputer;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * Model definitions and their immutable versions, stored in the data directory and reloaded at
 * start-up. Reads never lock; writing a version takes its model's lock, so two jobs finishing at
 * once get distinct numbers, and a version is on disk before anyone can see it. Every change goes
 * to disk first: when the disk refuses ({@link StorageUnavailableException}, 503) memory is left
 * as it was. Version numbers are never reused, not even those of files that could not be read.
 *
 * <p>Every method that takes a model takes its id or its name: the id is looked up first, then the
 * name ({@link #get(String)}). Names are unique ({@link ModelNameTakenException}, 409). A data
 * directory written before they were may hold two models of one name: it still loads, the
 * duplicates are logged at start-up, and the name resolves to the oldest of them (earliest
 * {@code createdAt}, then the smallest id); the others stay reachable by their ids.
 *
 * <p>A model's aliases ({@code champion} → version 2) are one file rewritten whole under the
 * model's lock, so a move is atomic and survives a restart; they go with the model.
 *
 * <p>In cluster mode ({@link ModelTables}) the database holds all of this for every replica:
 * names unique across them, version numbers taken in the database (gapless, never twice; the
 * publication joins a transaction the caller opened), and every lookup reads the definition,
 * version numbers and aliases fresh, so what another replica created, published or deleted is seen
 * at once. Versions and their networks are cached per replica and dropped when the model is
 * deleted, here or (by notification) on another replica, which also fails this replica's jobs for
 * it ({@link ModelDeleted}). A database fault is a 503 like a refusing disk.
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final Comparator<ModelDefinition> OLDEST_FIRST =
            Comparator.comparing(ModelDefinition::createdAt).thenComparing(ModelDefinition::id);

    private final ModelStore store;
    /** Cluster mode's tables; null in the default mode (the data directory, everything in memory). */
    private final ModelTables shared;
    private final ApplicationEventPublisher events;
    private final Map<String, Entry> models = new ConcurrentHashMap<>();
    private final Map<VersionKey, Network> networks = new ConcurrentHashMap<>();
    /** Guards taking a name: creating and importing check and take it under this lock. */
    private final Object naming = new Object();
    /** Name to the id it resolves to; rebuilt (under {@link #naming}) whenever a model comes or goes. */
    private volatile Map<String, String> byName = Map.of();

    /** A registry that tells no one of deletions (tests). */
    public ModelRegistry(DataDirectory directory) {
        this(directory, event -> { });
    }

    public ModelRegistry(DataDirectory directory, ApplicationEventPublisher events) {
        this(directory, events, (ModelTables) null);
    }

    @Autowired
    ModelRegistry(DataDirectory directory, ApplicationEventPublisher events, ObjectProvider<ModelTables> tables) {
        this(directory, events, tables.getIfAvailable());
    }

    private ModelRegistry(DataDirectory directory, ApplicationEventPublisher events, ModelTables shared) {
        this.store = new ModelStore(directory);
        this.events = events;
        this.shared = shared;
        if (shared != null) {
            shared.onDeletedElsewhere(id -> {
                networks.keySet().removeIf(k -> k.modelId().equals(id));
                log.info("Model {} was deleted on another replica", id);
                events.publishEvent(new ModelDeleted(id));
            });
            log.info("Models: in the cluster's database");
            return;
        }
        for (ModelStore.Stored stored : store.loadAll()) {
            Entry entry = new Entry(stored.definition());
            entry.versions.addAll(stored.versions());
            entry.highestNumber = stored.highestNumber();
            entry.aliases = Collections.unmodifiableMap(new TreeMap<>(stored.aliases()));
            models.put(stored.definition().id(), entry);
        }
        synchronized (naming) {
            byName = nameIndex();
        }
        reportDuplicateNames();
        log.info("Loaded {} model(s) with {} version(s)", models.size(),
                models.values().stream().mapToInt(e -> e.versions.size()).sum());
    }

    /** Stores a new model definition and answers it with its id and creation time. */
    public ModelDefinition create(String name, Integer inputs, List<LayerSpec> layers, String loss, String initializer,
                                  long seed) {
        return create(name, inputs, layers, loss, initializer, seed, null);
    }

    /** {@link #create(String, Integer, List, String, String, long)} with the rate of dropout on the inputs (null for none). */
    public ModelDefinition create(String name, Integer inputs, List<LayerSpec> layers, String loss, String initializer,
                                  long seed, Double inputDropout) {
        if (shared != null) {
            ModelDefinition definition = new ModelDefinition(UUID.randomUUID().toString(), name, inputs, layers, loss,
                    initializer, seed, now(), inputDropout);
            shared.create(definition);
            return definition;
        }
        synchronized (naming) {
            requireNameFree(name, "name");
            ModelDefinition definition = new ModelDefinition(UUID.randomUUID().toString(), name, inputs, layers, loss,
                    initializer, seed, now(), inputDropout);
            store.write(definition);
            models.put(definition.id(), new Entry(definition));
            byName = nameIndex();
            return definition;
        }
    }

    /**
     * Stores a new model whose version 1 is the given network (an imported weights file). Both
     * files are written before the model becomes visible, the version first: a crash in between
     * leaves a folder without a definition, which start-up skips.
     */
    public ModelVersion importModel(String name, NetworkState state, DatasetSchema schema) {
        synchronized (naming) {
            requireNameFree(name, "name");
            ModelVersion version = importUnderName(name, state, schema);
            byName = nameIndex();
            return version;
        }
    }

    private ModelVersion importUnderName(String name, NetworkState state, DatasetSchema schema) {
        if (shared != null) {
            ModelDefinition definition = importedDefinition(name, state);
            ModelVersion version = new ModelVersion(definition.id(), 1, definition.createdAt(), null, null, schema,
                    Map.of(), state);
            shared.importModel(definition, version);
            return version;
        }
        ModelDefinition definition = importedDefinition(name, state);
        ModelVersion version = new ModelVersion(definition.id(), 1, definition.createdAt(), null, null, schema,
                Map.of(), state);
        store.write(version);
        try {
            store.write(definition);
        } catch (StorageUnavailableException e) {
            store.removeQuietly(definition.id()); // the version alone would be a folder start-up skips
            throw e;
        }
        Entry entry = new Entry(definition);
        entry.versions.add(version);
        entry.highestNumber = 1;
        models.put(definition.id(), entry);
        return version;
    }

    private ModelDefinition importedDefinition(String name, NetworkState state) {
        List<LayerSpec> layers = state.layers().stream()
                .map(l -> new LayerSpec(l.units(), l.activation(), l.low(), l.high())).toList();
        return new ModelDefinition(UUID.randomUUID().toString(), name, state.inputs(), layers,
                state.loss(), state.initializer(), state.seed(), now());
    }

    /** The model by its id or, failing that, its name; a 404 problem when neither names one. */
    public ModelDefinition get(String idOrName) {
        return shared != null ? found(idOrName).definition() : entry(idOrName).definition;
    }

    /**
     * A 409 ({@link ModelNameTakenException}, the error under {@code field}) when a model already has
     * that name. Creating checks it again while taking the name; this is for requests that create a
     * model later (a search's {@code publish.modelName}).
     */
    public void requireNameFree(String name, String field) {
        if (shared != null) {
            shared.find(name).filter(f -> f.definition().name().equals(name)).ifPresent(f -> {
                throw new ModelNameTakenException(name, f.definition().id(), field);
            });
            return;
        }
        String holder = byName.get(name);
        if (holder != null && models.containsKey(holder)) {
            throw new ModelNameTakenException(name, holder, field);
        }
    }

    /** Every model, newest first. */
    public List<ModelDefinition> list() {
        if (shared != null) {
            return shared.list();
        }
        return models.values().stream().map(e -> e.definition)
                .sorted(Comparator.comparing(ModelDefinition::createdAt).reversed().thenComparing(ModelDefinition::id))
                .toList();
    }

    /**
     * Removes a model, its versions and their files (404 for an unknown model); then publishes
     * {@link ModelDeleted}, so training jobs for it stop. The files go first: when the disk refuses,
     * the model stays, its jobs run on, and the caller gets a 503.
     */
    public void delete(String idOrName) {
        if (shared != null) {
            String id = found(idOrName).definition().id();
            if (!shared.delete(id)) {
                throw ModelNotFoundException.model(idOrName);
            }
            networks.keySet().removeIf(k -> k.modelId().equals(id));
            events.publishEvent(new ModelDeleted(id));
            return;
        }
        Entry entry = entry(idOrName);
        String id = entry.definition.id();
        synchronized (entry) {
            if (entry.deleted) {
                throw ModelNotFoundException.model(id);
            }
            store.delete(id);
            entry.deleted = true;
            models.remove(id, entry);
            networks.keySet().removeIf(k -> k.modelId().equals(id));
        }
        synchronized (naming) {
            byName = nameIndex(); // a duplicate of its name (an old data directory) now takes the name
        }
        events.publishEvent(new ModelDeleted(id));
    }

    /**
     * Publishes a trained network as the model's next version (written atomically before it is
     * visible). The network is copied; the caller may keep training its own. The number follows the
     * highest ever seen, on disk or in memory; a refused write (503) publishes nothing. The
     * {@code lineage} (how it was made) is kept with it.
     */
    public ModelVersion publish(String modelId, Network trained, DatasetSchema schema, String trainingJobId,
                                String datasetId, Map<String, Object> metrics) {
        return publish(modelId, trained, schema, trainingJobId, datasetId, metrics, null);
    }

    /**
     * As {@link #publish(String, Network, DatasetSchema, String, String, Map)}, keeping how the version was made.
     * In cluster mode the version is numbered and inserted through Spring's JdbcTemplate (propagation
     * REQUIRED): called inside a transaction the caller opened on the DataSource (a training job checking
     * its fence), it joins that transaction and exists only if it commits; a job publishes at most once
     * (its id is unique among the versions: publishing again answers the version it published).
     */
    public ModelVersion publish(String modelId, Network trained, DatasetSchema schema, String trainingJobId,
                                String datasetId, Map<String, Object> metrics, Lineage lineage) {
        Objects.requireNonNull(trained, "trained");
        Objects.requireNonNull(schema, "schema");
        NetworkState state = detach(trained.state());
        Map<String, Object> figures = metrics == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (shared != null) {
            String id = found(modelId).definition().id();
            try {
                return shared.publish(id, trainingJobId, number -> new ModelVersion(id, number, now(), trainingJobId,
                                datasetId, schema, figures, state, lineage))
                        .orElseThrow(() -> ModelNotFoundException.model(modelId));
            } catch (StorageUnavailableException e) {
                throw new StorageUnavailableException("The version was trained but not published. " + e.getMessage());
            }
        }
        Entry entry = entry(modelId);
        synchronized (entry) {
            if (entry.deleted) {
                throw ModelNotFoundException.model(modelId);
            }
            int number = entry.highestNumber + 1;
            ModelVersion version = new ModelVersion(entry.definition.id(), number, now(), trainingJobId, datasetId, schema, figures, state,
                    lineage);
            try {
                store.write(version);
            } catch (StorageUnavailableException e) {
                // A training job reports this as its failure: say what was lost.
                throw new StorageUnavailableException("Version " + number + " was trained but not published. " + e.getMessage());
            }
            entry.highestNumber = number;
            entry.versions.add(version);
            return version;
        }
    }

    /** The versions of a model, oldest first (404 for an unknown model). */
    public List<ModelVersion> versions(String modelId) {
        if (shared != null) {
            ModelTables.Found f = found(modelId);
            return f.versions().stream().map(n -> sharedVersion(f, n)).toList();
        }
        return List.copyOf(entry(modelId).versions);
    }

    /** One version (404 for an unknown model or version). */
    public ModelVersion version(String modelId, int version) {
        if (shared != null) {
            ModelTables.Found f = found(modelId);
            if (!f.versions().contains(version)) {
                throw ModelNotFoundException.version(modelId, version);
            }
            return sharedVersion(f, version);
        }
        for (ModelVersion v : entry(modelId).versions) {
            if (v.version() == version) {
                return v;
            }
        }
        throw ModelNotFoundException.version(modelId, version);
    }

    /**
     * The version a selector names: a number, the latest (409 when the model has never been
     * trained), or an alias's version (404 when the model has no such alias).
     */
    public ModelVersion version(String idOrName, VersionSelector selector) {
        // Through the other lookups only, so that each rule stays in one place.
        if (selector.isLatest()) {
            return latest(idOrName);
        }
        if (selector.versionNumber() != null) {
            return version(idOrName, selector.versionNumber());
        }
        return version(idOrName, aliasTarget(idOrName, selector.alias()));
    }

    /** The model's aliases, alias name to version number, sorted by name (404 for an unknown model). */
    public Map<String, Integer> aliases(String idOrName) {
        if (shared != null) {
            return Collections.unmodifiableMap(found(idOrName).aliases());
        }
        return entry(idOrName).aliases;
    }

    /**
     * Points {@code alias} at the version {@code target} names now (a number, {@code latest}
     * taken at this moment, or another alias), setting or moving it; answers the model's aliases.
     * 400 for a name that {@code ?version=} could not read back, 404 for an unknown version, 409
     * for {@code latest} of an untrained model. Written before it is visible; a refusal (503) changes nothing.
     */
    public Map<String, Integer> setAlias(String idOrName, String alias, VersionSelector target) {
        if (shared != null) {
            String id = found(idOrName).definition().id();
            VersionSelector.aliasName(alias, "alias");
            int number = version(id, target).version();
            try {
                return Collections.unmodifiableMap(shared.setAlias(id, alias, number));
            } catch (DataIntegrityViolationException e) {
                throw ModelNotFoundException.model(idOrName); // deleted meanwhile, versions and all
            }
        }
        Entry entry = entry(idOrName);
        VersionSelector.aliasName(alias, "alias");
        synchronized (entry) {
            if (entry.deleted) {
                throw ModelNotFoundException.model(idOrName);
            }
            int number = version(entry.definition.id(), target).version();
            Map<String, Integer> aliases = new TreeMap<>(entry.aliases);
            aliases.put(alias, number);
            return replaceAliases(entry, aliases);
        }
    }

    /** Removes an alias (404 when the model has none of that name); answers the model's aliases. */
    public Map<String, Integer> removeAlias(String idOrName, String alias) {
        if (shared != null) {
            Map<String, Integer> aliases = shared.removeAlias(found(idOrName).definition().id(), alias);
            if (aliases == null) {
                throw ModelNotFoundException.alias(idOrName, alias);
            }
            return Collections.unmodifiableMap(aliases);
        }
        Entry entry = entry(idOrName);
        synchronized (entry) {
            if (entry.deleted) {
                throw ModelNotFoundException.model(idOrName);
            }
            if (!entry.aliases.containsKey(alias)) {
                throw ModelNotFoundException.alias(idOrName, alias);
            }
            Map<String, Integer> aliases = new TreeMap<>(entry.aliases);
            aliases.remove(alias);
            return replaceAliases(entry, aliases);
        }
    }

    private Map<String, Integer> replaceAliases(Entry entry, Map<String, Integer> aliases) {
        store.writeAliases(entry.definition.id(), aliases);
        entry.aliases = Collections.unmodifiableMap(aliases);
        return entry.aliases;
    }

    private int aliasTarget(String idOrName, String alias) {
        Integer number = aliases(idOrName).get(alias);
        if (number == null) {
            throw ModelNotFoundException.alias(idOrName, alias);
        }
        return number;
    }

    /** The newest version; a 409 problem when the model has never been trained. */
    public ModelVersion latest(String modelId) {
        return findLatest(modelId).orElseThrow(() -> new ModelNotTrainedException(modelId));
    }

    /** The newest version, if any (404 for an unknown model). */
    public Optional<ModelVersion> findLatest(String modelId) {
        if (shared != null) {
            ModelTables.Found f = found(modelId);
            return f.versions().isEmpty() ? Optional.empty()
                    : Optional.of(sharedVersion(f, f.versions().get(f.versions().size() - 1)));
        }
        List<ModelVersion> versions = entry(modelId).versions;
        // A snapshot: a copy-on-write list never changes under an iterator.
        ModelVersion last = null;
        for (ModelVersion v : versions) {
            last = v;
        }
        return Optional.ofNullable(last);
    }

    /** The ready-to-run network of a version (built once and cached; read-only, safe across threads). */
    public Network network(ModelVersion version) {
        VersionKey key = new VersionKey(version.modelId(), version.version());
        if (shared != null) {
            return networks.computeIfAbsent(key, k -> Network.fromState(version.state())); // dropped when the model goes
        }
        if (!models.containsKey(version.modelId())) {
            return Network.fromState(version.state()); // deleted meanwhile: do not cache it again
        }
        Network network = networks.computeIfAbsent(key, k -> Network.fromState(version.state()));
        if (!models.containsKey(version.modelId())) {
            networks.remove(key); // deleted while it was being built
        }
        return network;
    }

    /** Cluster mode: the model an id names, else the one a name names, as the database holds it now; else a 404. */
    private ModelTables.Found found(String idOrName) {
        if (idOrName == null) {
            throw ModelNotFoundException.model(null);
        }
        return shared.find(idOrName).orElseThrow(() -> ModelNotFoundException.model(idOrName));
    }

    /** Cluster mode: a version the database numbers (read once per replica); a 404 when it went meanwhile. */
    private ModelVersion sharedVersion(ModelTables.Found f, int number) {
        return shared.version(f.definition().id(), number)
                .orElseThrow(() -> ModelNotFoundException.version(f.definition().id(), number));
    }

    /** The model an id names, else the one a name names (see the class comment), else a 404. */
    private Entry entry(String idOrName) {
        if (idOrName == null) {
            throw ModelNotFoundException.model(null);
        }
        Entry entry = models.get(idOrName);
        if (entry == null) {
            String id = byName.get(idOrName);
            entry = id == null ? null : models.get(id);
        }
        if (entry == null) {
            throw ModelNotFoundException.model(idOrName);
        }
        return entry;
    }

    /** Each name to the oldest model that has it (earliest createdAt, then smallest id). */
    private Map<String, String> nameIndex() {
        Map<String, String> index = new HashMap<>();
        models.values().stream().map(e -> e.definition).sorted(OLDEST_FIRST)
                .forEach(d -> index.putIfAbsent(d.name(), d.id()));
        return Map.copyOf(index);
    }

    private void reportDuplicateNames() {
        Map<String, List<ModelDefinition>> byNames = new TreeMap<>();
        models.values().stream().map(e -> e.definition).sorted(OLDEST_FIRST)
                .forEach(d -> byNames.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d));
        byNames.forEach((name, holders) -> {
            if (holders.size() > 1) {
                log.warn("{} models share the name '{}' (names are unique now): {}; the name resolves to the oldest, {};"
                                + " reach the others by id, or rename them by deleting and re-importing", holders.size(), name,
                        holders.stream().map(ModelDefinition::id).toList(), holders.get(0).id());
            }
        });
    }

    /**
     * {@link Network#state()} already copies the weights; the scalers are records over arrays the
     * trainer's network still holds, so they get their own copies too.
     */
    private static NetworkState detach(NetworkState s) {
        return new NetworkState(s.inputs(), s.loss(), s.initializer(), s.seed(), s.layers(), copy(s.inputScaling()),
                copy(s.targetScaling()), s.classes() == null ? List.of() : List.copyOf(s.classes()),
                s.imputation() == null ? null : new Imputer(s.imputation().statistic(), s.imputation().values().clone()));
    }

    private static Scaler copy(Scaler s) {
        return s == null ? null : new Scaler(s.mean().clone(), s.scale().clone());
    }

    /** Millisecond precision: what is stored is what is answered, before and after a restart. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** One model and its versions, oldest first; its monitor guards publishing and deleting. */
    private static final class Entry {
        final ModelDefinition definition;
        final List<ModelVersion> versions = new CopyOnWriteArrayList<>();
        /** The highest version number taken, by a readable version or by a file that could not be read. */
        int highestNumber;
        boolean deleted;
        /** Alias name to version number, sorted; replaced whole (never changed in place) under the monitor. */
        volatile Map<String, Integer> aliases = Map.of();

        Entry(ModelDefinition definition) {
            this.definition = definition;
        }
    }

    private record VersionKey(String modelId, int version) {
    }
}
