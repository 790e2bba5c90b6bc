package org.mlpservice.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files behind the model registry: {@code models/{id}/model.json} holds a definition and
 * {@code models/{id}/versions/{v}.json} one version, weights included, and
 * {@code models/{id}/aliases.json} the model's aliases ({@code {"champion": 2}}), rewritten whole
 * on every change so a move is one rename. Every file is written
 * atomically by {@link DataDirectory}. A file that cannot be read at start-up is skipped, reported
 * to {@link DataDirectory#reportUnreadable} (health shows it) and left on disk for recovery; its
 * version number still counts, so the next version never reuses it.
 */
class ModelStore {

    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);
    private static final String DEFINITION = "model.json";
    private static final String VERSIONS = "versions";
    private static final String ALIASES = "aliases.json";
    static final TypeReference<Map<String, Integer>> ALIAS_MAP = new TypeReference<>() {
    };
    private static final Pattern VERSION_FILE = Pattern.compile("([1-9][0-9]{0,8})\\.json");

    /**
     * Our own mapper, not the web one: the file format must not change when someone configures
     * how the API writes JSON. Floats are written in their shortest exact form, so weights read
     * back bit for bit.
     */
    static final JsonMapper JSON = JsonMapper.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // DataDirectory still has to fsync the stream
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a file from a newer release still loads
            .build();

    private final DataDirectory directory;
    private final Path root;

    ModelStore(DataDirectory directory) {
        this.directory = directory;
        this.root = directory.directory("models");
    }

    /**
     * A model as found on disk.
     *
     * @param versions      its readable versions, oldest first
     * @param highestNumber the highest version number any file claims, readable or not (0 for none)
     * @param aliases       alias name to version number (empty for none)
     */
    record Stored(ModelDefinition definition, List<ModelVersion> versions, int highestNumber, Map<String, Integer> aliases) {
    }

    void write(ModelDefinition definition) {
        directory.write(modelDir(definition.id()).resolve(DEFINITION), out -> JSON.writeValue(out, definition));
    }

    void write(ModelVersion version) {
        Path file = modelDir(version.modelId()).resolve(VERSIONS).resolve(version.version() + ".json");
        directory.write(file, out -> JSON.writeValue(out, version));
    }

    /** Replaces the model's aliases with {@code aliases}, in one atomic write. */
    void writeAliases(String id, Map<String, Integer> aliases) {
        directory.write(modelDir(id).resolve(ALIASES), out -> JSON.writeValue(out, aliases));
    }

    /**
     * Removes a model's files. The definition goes first: once it is gone the model no longer
     * exists on disk, so that step alone decides (a refusal throws and changes nothing). The rest
     * is tidying: what the disk refuses to remove is a folder without a definition, which start-up
     * skips.
     */
    void delete(String id) {
        Path dir = modelDir(id);
        directory.delete(dir.resolve(DEFINITION));
        removeQuietly(id);
    }

    /** Removes whatever is left of a model's folder, logging a refusal instead of throwing it. */
    void removeQuietly(String id) {
        try {
            directory.delete(modelDir(id));
        } catch (StorageUnavailableException e) {
            log.warn("Model {} is gone, but its folder stays: {}", id, e.getMessage());
        }
    }

    /** Every readable model, with its versions. */
    List<Stored> loadAll() {
        List<Stored> models = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                ModelDefinition definition = readDefinition(dir);
                if (definition != null) {
                    Stored stored = readVersions(dir, definition);
                    models.add(new Stored(definition, stored.versions(), stored.highestNumber(), readAliases(dir)));
                }
            }
        } catch (IOException e) {
            log.error("Cannot list the models in {}", root, e);
        }
        return models;
    }

    private ModelDefinition readDefinition(Path dir) {
        Path file = dir.resolve(DEFINITION);
        if (!Files.isRegularFile(file)) {
            log.warn("Skipping {}: it has no {}", dir, DEFINITION);
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            ModelDefinition definition = JSON.readValue(in, ModelDefinition.class);
            if (definition == null || !dir.getFileName().toString().equals(definition.id())) {
                directory.reportUnreadable(file, "it does not hold the definition of model '" + dir.getFileName() + "'");
                return null;
            }
            return definition;
        } catch (IOException | RuntimeException e) {
            directory.reportUnreadable(file, e);
            return null;
        }
    }

    private Stored readVersions(Path dir, ModelDefinition definition) {
        Path versionsDir = dir.resolve(VERSIONS);
        List<ModelVersion> versions = new ArrayList<>();
        int highest = 0;
        if (!Files.isDirectory(versionsDir)) {
            return new Stored(definition, versions, highest, Map.of());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(versionsDir)) {
            for (Path file : files) {
                Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    int number = Integer.parseInt(m.group(1));
                    highest = Math.max(highest, number); // counted even when unreadable: its number is taken
                    ModelVersion version = readVersion(file, definition.id(), number);
                    if (version != null) {
                        versions.add(version);
                    }
                }
            }
        } catch (IOException e) {
            directory.reportUnreadable(versionsDir, e);
        }
        versions.sort(Comparator.comparingInt(ModelVersion::version));
        return new Stored(definition, versions, highest, Map.of());
    }

    /** The aliases, sorted by name; none when there is no file (an unreadable one is reported and kept). */
    private Map<String, Integer> readAliases(Path dir) {
        Path file = dir.resolve(ALIASES);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, Integer> aliases = JSON.readValue(in, ALIAS_MAP);
            if (aliases == null || aliases.values().stream().anyMatch(v -> v == null || v < 1)) {
                directory.reportUnreadable(file, "it does not hold a map of alias names to version numbers");
                return Map.of();
            }
            return new TreeMap<>(aliases);
        } catch (IOException | RuntimeException e) {
            directory.reportUnreadable(file, e);
            return Map.of();
        }
    }

    private ModelVersion readVersion(Path file, String id, int number) {
        try (InputStream in = Files.newInputStream(file)) {
            ModelVersion version = JSON.readValue(in, ModelVersion.class);
            if (version == null || !id.equals(version.modelId()) || version.version() != number || version.state() == null) {
                directory.reportUnreadable(file, "it does not hold version " + number + " of model '" + id + "'");
                return null;
            }
            return version;
        } catch (IOException | RuntimeException e) {
            directory.reportUnreadable(file, e);
            return null;
        }
    }


    private Path modelDir(String id) {
        return root.resolve(id);
    }
}
