package org.mlpservice.dataset;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where {@link DatasetCatalog} keeps datasets. Spring wires one of two: {@link DirectoryDatasets}
 * (the data directory, the default) or {@link DatasetTables} (the cluster's PostgreSQL database,
 * {@code mlp.cluster.enabled=true}). A dataset is visible only once it is completely stored, and a
 * refusing disk or database is a {@link org.mlpservice.storage.StorageUnavailableException} (503)
 * that changed nothing.
 */
interface DatasetRepository {

    /** The dataset with its statistics and arrays; empty when there is none. */
    Optional<DatasetStore.Loaded> find(String id);

    /** Every dataset with its arrays, in no particular order (those not read yet are read now). */
    List<DatasetStore.Loaded> all();

    /** Every dataset's summary, in no particular order, reading no arrays. */
    List<DatasetSummary> summaries();

    /** Whether this process already knows a dataset of that id (a fresh id must not be one); asks nothing further. */
    boolean known(String id);

    /** Stores the dataset, replacing one of the same id; visible once stored. */
    void save(Dataset d, DatasetStats stats);

    /** Removes the dataset and its arrays; false when there was none. */
    boolean delete(String id);

    /** Calls {@code handler(id)} when another replica deletes a dataset (never, for one process). */
    default void onDeletedElsewhere(Consumer<String> handler) {
    }
}
