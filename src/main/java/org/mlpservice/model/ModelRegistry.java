package org.mlpservice.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Model definitions and their immutable versions, stored in the data directory and reloaded at
 * start-up. Reads never lock; writing a version takes its model's lock, so two jobs finishing at
 * once get distinct numbers, and a version is on disk before anyone can see it. Every change goes
 * to disk first: when the disk refuses ({@link StorageUnavailableException}, 503) memory is left
 * as it was. Version numbers are never reused, not even those of files that could not be read.
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelStore store;
    private final ApplicationEventPublisher events;
    private final Map<String, Entry> models = new ConcurrentHashMap<>();
    private final Map<VersionKey, Network> networks = new ConcurrentHashMap<>();

    /** A registry that tells no one of deletions (tests). */
    public ModelRegistry(DataDirectory directory) {
        this(directory, event -> { });
    }

    @Autowired
    public ModelRegistry(DataDirectory directory, ApplicationEventPublisher events) {
        this.store = new ModelStore(directory);
        this.events = events;
        for (ModelStore.Stored stored : store.loadAll()) {
            Entry entry = new Entry(stored.definition());
            entry.versions.addAll(stored.versions());
            entry.highestNumber = stored.highestNumber();
            models.put(stored.definition().id(), entry);
        }
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
        ModelDefinition definition = new ModelDefinition(UUID.randomUUID().toString(), name, inputs, layers, loss,
                initializer, seed, now(), inputDropout);
        store.write(definition);
        models.put(definition.id(), new Entry(definition));
        return definition;
    }

    /**
     * Stores a new model whose version 1 is the given network (an imported weights file). Both
     * files are written before the model becomes visible, the version first: a crash in between
     * leaves a folder without a definition, which start-up skips.
     */
    public ModelVersion importModel(String name, NetworkState state, DatasetSchema schema) {
        List<LayerSpec> layers = state.layers().stream()
                .map(l -> new LayerSpec(l.units(), l.activation(), l.low(), l.high())).toList();
        ModelDefinition definition = new ModelDefinition(UUID.randomUUID().toString(), name, state.inputs(), layers,
                state.loss(), state.initializer(), state.seed(), now());
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

    /** The model, or a 404 problem. */
    public ModelDefinition get(String id) {
        return entry(id).definition;
    }

    /** Every model, newest first. */
    public List<ModelDefinition> list() {
        return models.values().stream().map(e -> e.definition)
                .sorted(Comparator.comparing(ModelDefinition::createdAt).reversed().thenComparing(ModelDefinition::id))
                .toList();
    }

    /**
     * Removes a model, its versions and their files (404 for an unknown model); then publishes
     * {@link ModelDeleted}, so training jobs for it stop. The files go first: when the disk refuses,
     * the model stays, its jobs run on, and the caller gets a 503.
     */
    public void delete(String id) {
        Entry entry = entry(id);
        synchronized (entry) {
            if (entry.deleted) {
                throw ModelNotFoundException.model(id);
            }
            store.delete(id);
            entry.deleted = true;
            models.remove(id, entry);
            networks.keySet().removeIf(k -> k.modelId().equals(id));
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

    /** As {@link #publish(String, Network, DatasetSchema, String, String, Map)}, keeping how the version was made. */
    public ModelVersion publish(String modelId, Network trained, DatasetSchema schema, String trainingJobId,
                                String datasetId, Map<String, Object> metrics, Lineage lineage) {
        Objects.requireNonNull(trained, "trained");
        Objects.requireNonNull(schema, "schema");
        NetworkState state = detach(trained.state());
        Map<String, Object> figures = metrics == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        Entry entry = entry(modelId);
        synchronized (entry) {
            if (entry.deleted) {
                throw ModelNotFoundException.model(modelId);
            }
            int number = entry.highestNumber + 1;
            ModelVersion version = new ModelVersion(modelId, number, now(), trainingJobId, datasetId, schema, figures, state,
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
        return List.copyOf(entry(modelId).versions);
    }

    /** One version (404 for an unknown model or version). */
    public ModelVersion version(String modelId, int version) {
        for (ModelVersion v : entry(modelId).versions) {
            if (v.version() == version) {
                return v;
            }
        }
        throw ModelNotFoundException.version(modelId, version);
    }

    /** The newest version; a 409 problem when the model has never been trained. */
    public ModelVersion latest(String modelId) {
        return findLatest(modelId).orElseThrow(() -> new ModelNotTrainedException(modelId));
    }

    /** The newest version, if any (404 for an unknown model). */
    public Optional<ModelVersion> findLatest(String modelId) {
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
        if (!models.containsKey(version.modelId())) {
            return Network.fromState(version.state()); // deleted meanwhile: do not cache it again
        }
        Network network = networks.computeIfAbsent(key, k -> Network.fromState(version.state()));
        if (!models.containsKey(version.modelId())) {
            networks.remove(key); // deleted while it was being built
        }
        return network;
    }

    private Entry entry(String id) {
        Entry entry = id == null ? null : models.get(id);
        if (entry == null) {
            throw ModelNotFoundException.model(id);
        }
        return entry;
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

        Entry(ModelDefinition definition) {
            this.definition = definition;
        }
    }

    private record VersionKey(String modelId, int version) {
    }
}
