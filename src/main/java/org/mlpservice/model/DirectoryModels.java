package org.mlpservice.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import org.mlpservice.cluster.ClusterProperties;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The models of the default mode: the data directory's files ({@link ModelStore}), loaded at
 * start-up and held in memory. Reads never lock; publishing, deleting and changing aliases take
 * the model's lock, so two jobs finishing at once get distinct numbers, and every change is on
 * disk before anyone can see it: when the disk refuses (503) memory is left as it was. Version
 * numbers are never reused, not even those of files that could not be read. The aliases are one
 * file rewritten whole under the lock, so a move is atomic and survives a restart.
 *
 * <p>Names are unique ({@link ModelNameTakenException}, 409): creating and importing check and take
 * a name under one lock. A data directory written before they were may hold two models of one name:
 * it still loads, the duplicates are logged at start-up, and the name resolves to the oldest of them
 * (earliest {@code createdAt}, then the smallest id); the others stay reachable by their ids.
 */
@Component
@ConditionalOnProperty(name = ClusterProperties.ENABLED, havingValue = "false", matchIfMissing = true)
class DirectoryModels implements ModelRepository {

    private static final Logger log = LoggerFactory.getLogger(DirectoryModels.class);
    private static final Comparator<ModelDefinition> OLDEST_FIRST =
            Comparator.comparing(ModelDefinition::createdAt).thenComparing(ModelDefinition::id);

    private final ModelStore store;
    private final Map<String, Entry> models = new ConcurrentHashMap<>();
    /** Guards taking a name: creating and importing check and take it under this lock. */
    private final Object naming = new Object();
    /** Name to the id it resolves to; rebuilt (under {@link #naming}) whenever a model comes or goes. */
    private volatile Map<String, String> byName = Map.of();

    DirectoryModels(DataDirectory directory) {
        this.store = new ModelStore(directory);
        for (ModelStore.Stored stored : store.loadAll()) {
            Entry entry = new Entry(stored.definition());
            stored.versions().forEach(entry::add);
            entry.highestNumber = stored.highestNumber();
            entry.setAliases(stored.aliases());
            models.put(stored.definition().id(), entry);
        }
        synchronized (naming) {
            byName = nameIndex();
        }
        reportDuplicateNames();
        log.info("Loaded {} model(s) with {} version(s)", models.size(),
                models.values().stream().mapToInt(e -> e.versions.size()).sum());
    }

    @Override
    public Optional<Found> find(String idOrName) {
        Entry entry = models.get(idOrName);
        if (entry == null) {
            String id = byName.get(idOrName);
            entry = id == null ? null : models.get(id);
        }
        return entry == null ? Optional.empty() : Optional.of(entry.found);
    }

    @Override
    public List<ModelDefinition> list() {
        return models.values().stream().map(e -> e.found.definition())
                .sorted(Comparator.comparing(ModelDefinition::createdAt).reversed().thenComparing(ModelDefinition::id))
                .toList();
    }

    @Override
    public void create(ModelDefinition definition) {
        synchronized (naming) {
            requireNameFree(definition.name());
            store.write(definition);
            models.put(definition.id(), new Entry(definition));
            byName = nameIndex();
        }
    }

    /**
     * Both files are written before the model becomes visible, the version first: a crash in
     * between leaves a folder without a definition, which start-up skips.
     */
    @Override
    public void importModel(ModelDefinition definition, ModelVersion version) {
        synchronized (naming) {
            requireNameFree(definition.name());
            store.write(version);
            try {
                store.write(definition);
            } catch (StorageUnavailableException e) {
                store.removeQuietly(definition.id()); // the version alone would be a folder start-up skips
                throw e;
            }
            Entry entry = new Entry(definition);
            entry.add(version);
            entry.highestNumber = 1;
            models.put(definition.id(), entry);
            byName = nameIndex();
        }
    }

    /** The files go first: when the disk refuses, the model stays. */
    @Override
    public boolean delete(String id) {
        boolean deleted = locked(id, entry -> {
            store.delete(id);
            entry.deleted = true;
            models.remove(id, entry);
            return Optional.of(true);
        }).isPresent();
        if (deleted) {
            synchronized (naming) {
                byName = nameIndex(); // a duplicate of its name (an old data directory) now takes the name
            }
        }
        return deleted;
    }

    @Override
    public Optional<ModelVersion> publish(String modelId, String trainingJobId, IntFunction<ModelVersion> numbered) {
        return locked(modelId, entry -> {
            int number = entry.highestNumber + 1;
            ModelVersion version = numbered.apply(number);
            store.write(version);
            entry.highestNumber = number;
            entry.add(version);
            return Optional.of(version);
        });
    }

    @Override
    public Optional<ModelVersion> version(String modelId, int number) {
        Entry entry = models.get(modelId);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.versions.get(number));
    }

    @Override
    public Optional<Map<String, Integer>> setAlias(String modelId, String alias, IntSupplier number) {
        return locked(modelId, entry -> {
            Map<String, Integer> aliases = new TreeMap<>(entry.found.aliases());
            aliases.put(alias, number.getAsInt());
            return Optional.of(replaceAliases(entry, aliases));
        });
    }

    @Override
    public Optional<Map<String, Integer>> removeAlias(String modelId, String alias) {
        return locked(modelId, entry -> {
            if (!entry.found.aliases().containsKey(alias)) {
                return Optional.empty();
            }
            Map<String, Integer> aliases = new TreeMap<>(entry.found.aliases());
            aliases.remove(alias);
            return Optional.of(replaceAliases(entry, aliases));
        });
    }

    /** {@code change} under the model's lock while the model is there; empty when it is gone. */
    private <T> Optional<T> locked(String modelId, Function<Entry, Optional<T>> change) {
        Entry entry = models.get(modelId);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return entry.deleted ? Optional.empty() : change.apply(entry);
        }
    }

    private Map<String, Integer> replaceAliases(Entry entry, Map<String, Integer> aliases) {
        store.writeAliases(entry.found.definition().id(), aliases);
        return entry.setAliases(aliases);
    }

    private void requireNameFree(String name) {
        String holder = byName.get(name);
        if (holder != null && models.containsKey(holder)) {
            throw new ModelNameTakenException(name, holder, "name");
        }
    }

    /** Each name to the oldest model that has it (earliest createdAt, then smallest id). */
    private Map<String, String> nameIndex() {
        Map<String, String> index = new HashMap<>();
        models.values().stream().map(e -> e.found.definition()).sorted(OLDEST_FIRST)
                .forEach(d -> index.putIfAbsent(d.name(), d.id()));
        return Map.copyOf(index);
    }

    private void reportDuplicateNames() {
        Map<String, List<ModelDefinition>> byNames = new TreeMap<>();
        models.values().stream().map(e -> e.found.definition()).sorted(OLDEST_FIRST)
                .forEach(d -> byNames.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d));
        byNames.forEach((name, holders) -> {
            if (holders.size() > 1) {
                log.warn("{} models share the name '{}' (names are unique now): {}; the name resolves to the oldest, {};"
                                + " reach the others by id, or rename them by deleting and re-importing", holders.size(), name,
                        holders.stream().map(ModelDefinition::id).toList(), holders.get(0).id());
            }
        });
    }

    /** One model; its monitor guards publishing, deleting and changing its aliases. */
    private static final class Entry {
        /** What lookups answer: replaced whole (never changed in place) under the monitor. */
        volatile Found found;
        final Map<Integer, ModelVersion> versions = new ConcurrentHashMap<>();
        /** The highest version number taken, by a readable version or by a file that could not be read. */
        int highestNumber;
        boolean deleted;

        Entry(ModelDefinition definition) {
            this.found = new Found(definition, List.of(), Map.of());
        }

        /** Adds a version above the others; it can be read before its number is listed. */
        void add(ModelVersion version) {
            versions.put(version.version(), version);
            List<Integer> numbers = new ArrayList<>(found.versions());
            numbers.add(version.version());
            found = new Found(found.definition(), List.copyOf(numbers), found.aliases());
        }

        Map<String, Integer> setAliases(Map<String, Integer> aliases) {
            found = new Found(found.definition(), found.versions(), Collections.unmodifiableMap(new TreeMap<>(aliases)));
            return found.aliases();
        }
    }
}
