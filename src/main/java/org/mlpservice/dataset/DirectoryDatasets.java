package org.mlpservice.dataset;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mlpservice.cluster.ClusterProperties;
import org.mlpservice.storage.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The datasets of the default mode: the data directory's files ({@link DatasetStore} describes
 * them), loaded at start-up (a broken one skipped and reported in health) and held in memory as
 * primitive arrays. Lookups never wait. Disk first, memory after: a dataset appears only once its
 * files are complete, and when the disk refuses a write or a delete (503) memory is left as it was.
 */
@Component
@ConditionalOnProperty(name = ClusterProperties.ENABLED, havingValue = "false", matchIfMissing = true)
class DirectoryDatasets implements DatasetRepository {

    private static final Logger log = LoggerFactory.getLogger(DirectoryDatasets.class);

    private final DatasetStore store;
    private final Map<String, DatasetStore.Loaded> datasets = new ConcurrentHashMap<>();

    DirectoryDatasets(DataDirectory data, JsonMapper json) {
        this.store = new DatasetStore(data, json);
        for (DatasetStore.Loaded loaded : store.loadAll()) {
            datasets.put(loaded.dataset().id(), loaded);
        }
        log.info("Loaded {} dataset(s) from {}", datasets.size(), store.directory());
    }

    @Override
    public Optional<DatasetStore.Loaded> find(String id) {
        return Optional.ofNullable(datasets.get(id));
    }

    @Override
    public List<DatasetStore.Loaded> all() {
        return List.copyOf(datasets.values());
    }

    @Override
    public List<DatasetSummary> summaries() {
        return datasets.values().stream().map(e -> DatasetSummary.of(e.dataset())).toList();
    }

    @Override
    public boolean known(String id) {
        return datasets.containsKey(id);
    }

    @Override
    public void save(Dataset d, DatasetStats stats) {
        store.save(d, stats);
        datasets.put(d.id(), new DatasetStore.Loaded(d, stats));
    }

    /** The files go first: when the disk refuses, the dataset stays. */
    @Override
    public boolean delete(String id) {
        DatasetStore.Loaded e = datasets.get(id);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            // Two deletes of one dataset: the second finds it gone.
            if (datasets.get(id) != e) {
                return false;
            }
            store.delete(id);
            datasets.remove(id, e);
            return true;
        }
    }
}
