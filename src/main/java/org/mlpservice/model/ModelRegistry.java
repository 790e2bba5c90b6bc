package org.mlpservice.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * Model definitions and their immutable versions, names and aliases: what is the same wherever they
 * are kept. The {@link ModelRepository} Spring wires keeps them, in the data directory
 * ({@link DirectoryModels}, reloaded at start-up) or, in cluster mode, in the database every replica
 * shares ({@link ModelTables}, read fresh on every lookup, so what another replica created,
 * published or deleted is seen at once). Either way a version's number is never reused, a version
 * is stored before anyone can see it, and a refusing disk or database is a 503
 * ({@link StorageUnavailableException}) that changed nothing.
 *
 * <p>Every method that takes a model takes its id or its name: the id is looked up first, then the
 * name ({@link #get(String)}). Names are unique ({@link ModelNameTakenException}, 409). A model's
 * aliases ({@code champion} → version 2) are set and moved atomically; they go with the model.
 *
 * <p>Built networks are cached per replica and dropped when the model is deleted, here or (cluster
 * mode, by notification) on another replica, which also fails this replica's jobs for it
 * ({@link ModelDeleted}).
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelRepository repository;
    private final ApplicationEventPublisher events;
    private final Map<VersionKey, Network> networks = new ConcurrentHashMap<>();

    /** A registry on the data directory that tells no one of deletions (tests). */
    public ModelRegistry(DataDirectory directory) {
        this(directory, event -> { });
    }

    /** A registry on the data directory (tests). */
    public ModelRegistry(DataDirectory directory, ApplicationEventPublisher events) {
        this(new DirectoryModels(directory), events);
    }

    @Autowired
    ModelRegistry(ModelRepository repository, ApplicationEventPublisher events) {
        this.repository = repository;
        this.events = events;
        repository.onDeletedElsewhere(id -> {
            forgetNetworks(id);
            log.info("Model {} was deleted on another replica", id);
            events.publishEvent(new ModelDeleted(id));
        });
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
        repository.create(definition);
        return definition;
    }

    /** Stores a new model whose version 1 is the given network (an imported weights file); both or neither. */
    public ModelVersion importModel(String name, NetworkState state, DatasetSchema schema) {
        List<LayerSpec> layers = state.layers().stream()
                .map(l -> new LayerSpec(l.units(), l.activation(), l.low(), l.high())).toList();
        ModelDefinition definition = new ModelDefinition(UUID.randomUUID().toString(), name, state.inputs(), layers,
                state.loss(), state.initializer(), state.seed(), now());
        ModelVersion version = new ModelVersion(definition.id(), 1, definition.createdAt(), null, null, schema,
                Map.of(), state);
        repository.importModel(definition, version);
        return version;
    }

    /** The model by its id or, failing that, its name; a 404 problem when neither names one. */
    public ModelDefinition get(String idOrName) {
        return found(idOrName).definition();
    }

    /**
     * A 409 ({@link ModelNameTakenException}, the error under {@code field}) when a model already has
     * that name. Creating checks it again while taking the name; this is for requests that create a
     * model later (a search's {@code publish.modelName}).
     */
    public void requireNameFree(String name, String field) {
        repository.find(name).filter(f -> f.definition().name().equals(name)).ifPresent(f -> {
            throw new ModelNameTakenException(name, f.definition().id(), field);
        });
    }

    /** Every model, newest first. */
    public List<ModelDefinition> list() {
        return repository.list();
    }

    /**
     * Removes a model, its versions and their files (404 for an unknown model); then publishes
     * {@link ModelDeleted}, so training jobs for it stop. The files go first: when the storage
     * refuses, the model stays, its jobs run on, and the caller gets a 503.
     */
    public void delete(String idOrName) {
        String id = found(idOrName).definition().id();
        if (!repository.delete(id)) {
            throw ModelNotFoundException.model(idOrName);
        }
        forgetNetworks(id);
        events.publishEvent(new ModelDeleted(id));
    }

    /**
     * Publishes a trained network as the model's next version (stored before it is visible). The
     * network is copied; the caller may keep training its own. The number follows the highest ever
     * taken; a refused write (503) publishes nothing.
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
        String id = found(modelId).definition().id();
        int[] taken = {0}; // the number the repository gave the version, once it gave one
        try {
            return repository.publish(id, trainingJobId, number -> {
                taken[0] = number;
                return new ModelVersion(id, number, now(), trainingJobId, datasetId, schema, figures, state, lineage);
            }).orElseThrow(() -> ModelNotFoundException.model(modelId));
        } catch (StorageUnavailableException e) {
            // A training job reports this as its failure: say what was lost.
            throw new StorageUnavailableException((taken[0] == 0 ? "The version" : "Version " + taken[0])
                    + " was trained but not published. " + e.getMessage());
        }
    }

    /** The versions of a model, oldest first (404 for an unknown model). */
    public List<ModelVersion> versions(String modelId) {
        ModelRepository.Found f = found(modelId);
        return f.versions().stream().map(n -> version(f, n)).toList();
    }

    /** One version (404 for an unknown model or version). */
    public ModelVersion version(String modelId, int version) {
        ModelRepository.Found f = found(modelId);
        if (!f.versions().contains(version)) {
            throw ModelNotFoundException.version(modelId, version);
        }
        return version(f, version);
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
        return found(idOrName).aliases();
    }

    /**
     * Points {@code alias} at the version {@code target} names now (a number, {@code latest}
     * taken at this moment, or another alias), setting or moving it; answers the model's aliases.
     * 400 for a name that {@code ?version=} could not read back, 404 for an unknown version, 409
     * for {@code latest} of an untrained model. Stored before it is visible; a refusal (503) changes nothing.
     */
    public Map<String, Integer> setAlias(String idOrName, String alias, VersionSelector target) {
        String id = found(idOrName).definition().id();
        VersionSelector.aliasName(alias, "alias");
        return repository.setAlias(id, alias, () -> version(id, target).version())
                .orElseThrow(() -> ModelNotFoundException.model(idOrName));
    }

    /** Removes an alias (404 when the model has none of that name); answers the model's aliases. */
    public Map<String, Integer> removeAlias(String idOrName, String alias) {
        Optional<Map<String, Integer>> aliases = repository.removeAlias(found(idOrName).definition().id(), alias);
        if (aliases.isEmpty()) {
            found(idOrName); // a model deleted meanwhile is a 404 for the model
            throw ModelNotFoundException.alias(idOrName, alias);
        }
        return aliases.get();
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
        ModelRepository.Found f = found(modelId);
        return f.versions().isEmpty() ? Optional.empty() : Optional.of(version(f, f.versions().get(f.versions().size() - 1)));
    }

    /** The ready-to-run network of a version (built once and cached; read-only, safe across threads). */
    public Network network(ModelVersion version) {
        VersionKey key = new VersionKey(version.modelId(), version.version());
        if (!stored(key)) {
            return Network.fromState(version.state()); // deleted meanwhile: do not cache it again
        }
        Network network = networks.computeIfAbsent(key, k -> Network.fromState(version.state()));
        if (!stored(key)) {
            networks.remove(key); // deleted while it was being built
        }
        return network;
    }

    /** Whether the repository still holds the version (it keeps the versions it has read: no round trip). */
    private boolean stored(VersionKey key) {
        return repository.version(key.modelId(), key.version()).isPresent();
    }

    private void forgetNetworks(String modelId) {
        networks.keySet().removeIf(k -> k.modelId().equals(modelId));
    }

    /** The model an id names, else the one a name names, as stored now; else a 404. */
    private ModelRepository.Found found(String idOrName) {
        if (idOrName == null) {
            throw ModelNotFoundException.model(null);
        }
        return repository.find(idOrName).orElseThrow(() -> ModelNotFoundException.model(idOrName));
    }

    /** A version the repository numbers; a 404 when it went meanwhile. */
    private ModelVersion version(ModelRepository.Found f, int number) {
        return repository.version(f.definition().id(), number)
                .orElseThrow(() -> ModelNotFoundException.version(f.definition().id(), number));
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

    private record VersionKey(String modelId, int version) {
    }
}
