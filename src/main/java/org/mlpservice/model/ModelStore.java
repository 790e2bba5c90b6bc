package org.mlpservice.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlpservice.storage.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files behind the model registry: {@code models/{id}/model.json} holds a definition and
 * {@code models/{id}/versions/{v}.json} one version, weights included. Every file is written
 * atomically by {@link DataDirectory}; a file that cannot be read at start-up is logged and skipped.
 */
class ModelStore {

    private static final Logger log = LoggerFactory.getLogger(ModelStore.class);
    private static final String DEFINITION = "model.json";
    private static final String VERSIONS = "versions";
    private static final Pattern VERSION_FILE = Pattern.compile("([1-9][0-9]{0,8})\\.json");

    /**
     * Our own mapper, not the web one: the file format must not change when someone configures
     * how the API writes JSON. Floats are written in their shortest exact form, so weights read
     * back bit for bit.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // DataDirectory still has to fsync the stream
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a file from a newer release still loads
            .build();

    private final DataDirectory directory;
    private final Path root;

    ModelStore(DataDirectory directory) {
        this.directory = directory;
        this.root = directory.directory("models");
    }

    /** A model as found on disk: its definition and its readable versions, oldest first. */
    record Stored(ModelDefinition definition, List<ModelVersion> versions) {
    }

    void write(ModelDefinition definition) {
        directory.write(modelDir(definition.id()).resolve(DEFINITION), out -> JSON.writeValue(out, definition));
    }

    void write(ModelVersion version) {
        Path file = modelDir(version.modelId()).resolve(VERSIONS).resolve(version.version() + ".json");
        directory.write(file, out -> JSON.writeValue(out, version));
    }

    /** Removes a model's files; the definition goes first, so a half-finished delete leaves no model behind. */
    void delete(String id) {
        Path dir = modelDir(id);
        directory.delete(dir.resolve(DEFINITION));
        directory.delete(dir);
    }

    /** Every readable model, with its versions. */
    List<Stored> loadAll() {
        List<Stored> models = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                ModelDefinition definition = readDefinition(dir);
                if (definition != null) {
                    models.add(new Stored(definition, readVersions(dir, definition.id())));
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
            if (!dir.getFileName().toString().equals(definition.id())) {
                log.warn("Skipping {}: it names model '{}'", file, definition.id());
                return null;
            }
            return definition;
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping unreadable model file {}: {}", file, e.getMessage());
            return null;
        }
    }

    private List<ModelVersion> readVersions(Path dir, String id) {
        Path versionsDir = dir.resolve(VERSIONS);
        List<ModelVersion> versions = new ArrayList<>();
        if (!Files.isDirectory(versionsDir)) {
            return versions;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(versionsDir)) {
            for (Path file : files) {
                Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    ModelVersion version = readVersion(file, id, Integer.parseInt(m.group(1)));
                    if (version != null) {
                        versions.add(version);
                    }
                }
            }
        } catch (IOException e) {
            log.error("Cannot list the versions in {}", versionsDir, e);
        }
        versions.sort(Comparator.comparingInt(ModelVersion::version));
        return versions;
    }

    private static ModelVersion readVersion(Path file, String id, int number) {
        try (InputStream in = Files.newInputStream(file)) {
            ModelVersion version = JSON.readValue(in, ModelVersion.class);
            if (!id.equals(version.modelId()) || version.version() != number || version.state() == null) {
                log.warn("Skipping {}: it does not hold version {} of model '{}'", file, number, id);
                return null;
            }
            return version;
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping unreadable version file {}: {}", file, e.getMessage());
            return null;
        }
    }

    private Path modelDir(String id) {
        return root.resolve(id);
    }
}
