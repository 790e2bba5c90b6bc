package org.mlpservice.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * Where {@link ModelRegistry} keeps definitions, versions and aliases. Spring wires one of two:
 * {@link DirectoryModels} (the data directory, the default) or {@link ModelTables} (the cluster's
 * PostgreSQL database, {@code mlp.cluster.enabled=true}). A refusing disk or database is a
 * {@link org.mlpservice.storage.StorageUnavailableException} (503) that changed nothing.
 */
interface ModelRepository {

    /** A model as stored now: its definition, version numbers (ascending) and aliases (sorted, unmodifiable). */
    record Found(ModelDefinition definition, List<Integer> versions, Map<String, Integer> aliases) {
    }

    /** The model an id names, else the one a name names; empty when neither does. */
    Optional<Found> find(String idOrName);

    /** Every definition, newest first. */
    List<ModelDefinition> list();

    /** Stores a new definition; a {@link ModelNameTakenException} (409) when another model has its name. */
    void create(ModelDefinition definition);

    /** Stores a new model whose version 1 is {@code version}, both or neither; a 409 for a name taken. */
    void importModel(ModelDefinition definition, ModelVersion version);

    /** Removes the model with its versions and aliases; false when there was none. */
    boolean delete(String id);

    /**
     * Stores {@code numbered.apply(n)} as the model's next version, {@code n} one above the highest
     * number ever taken; empty when the model is gone.
     */
    Optional<ModelVersion> publish(String modelId, String trainingJobId, IntFunction<ModelVersion> numbered);

    /** A version (immutable, so it may be kept once read); empty when there is none of that number. */
    Optional<ModelVersion> version(String modelId, int number);

    /** Points {@code alias} at the version {@code number} answers; the aliases afterwards, empty when the model is gone. */
    Optional<Map<String, Integer>> setAlias(String modelId, String alias, IntSupplier number);

    /** Removes an alias; the aliases afterwards, empty when the model (still) has none of that name. */
    Optional<Map<String, Integer>> removeAlias(String modelId, String alias);

    /** Calls {@code handler(modelId)} when another replica deletes a model (never, for one process). */
    default void onDeletedElsewhere(Consumer<String> handler) {
    }
}
