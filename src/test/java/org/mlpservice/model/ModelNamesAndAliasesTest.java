package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpservice.model.ModelTestData.CIRCLES;
import static org.mlpservice.model.ModelTestData.LECTURE_LAYERS;
import static org.mlpservice.model.ModelTestData.METRICS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageProperties;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Names that stand for ids, and aliases that stand for version numbers, on a real (temporary) data directory. */
@ExtendWith(OutputCaptureExtension.class)
class ModelNamesAndAliasesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private ModelRegistry registry() {
        return new ModelRegistry(new DataDirectory(new StorageProperties(dir)));
    }

    private static ModelDefinition create(ModelRegistry registry, String name) {
        return registry.create(name, 2, LECTURE_LAYERS, "binary_crossentropy", "glorot_uniform", 42);
    }

    private static void publish(ModelRegistry registry, String model, long seed) {
        registry.publish(model, ModelTestData.lectureNetwork(seed), CIRCLES, "job-" + seed, "ds-1", METRICS);
    }

    @Test
    void aTakenNameIs409NamingTheModelThatHasIt() {
        ModelRegistry registry = registry();
        ModelDefinition first = create(registry, "lecture");

        assertThatThrownBy(() -> create(registry, "lecture")).isInstanceOfSatisfying(ModelNameTakenException.class, e -> {
            assertThat(e.status().value()).isEqualTo(409);
            assertThat(e.getMessage()).contains(first.id());
            assertThat(e.errors()).extracting(ApiError::field).containsExactly("name");
            assertThat(e.errors().get(0).message()).contains(first.id());
        });
        assertThatThrownBy(() -> registry.importModel("lecture", ModelTestData.lectureNetwork(1).state(), CIRCLES))
                .isInstanceOf(ModelNameTakenException.class);
        assertThat(registry.list()).hasSize(1);

        registry.delete("lecture"); // by name; the name is free again
        assertThat(create(registry, "lecture").id()).isNotEqualTo(first.id());
    }

    @Test
    void aNameResolvesWhereverAnIdDoesAndTheIdComesFirst() {
        ModelRegistry registry = registry();
        ModelDefinition model = create(registry, "lecture");
        publish(registry, "lecture", 1);

        assertThat(registry.get("lecture").id()).isEqualTo(model.id());
        assertThat(registry.get(model.id()).id()).isEqualTo(model.id());
        assertThat(registry.versions("lecture")).hasSize(1);
        assertThat(registry.latest("lecture").modelId()).as("published under the id").isEqualTo(model.id());
        assertThatThrownBy(() -> registry.get("Lecture")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status().value()).isEqualTo(404));
    }

    @Test
    void aDataDirectoryWithTwoModelsOfOneNameStartsAndTheNameResolvesToTheOldest(CapturedOutput output) throws Exception {
        ModelRegistry before = registry();
        ModelDefinition younger = create(before, "circles");
        ModelDefinition older = create(before, "other");
        // Written before names were unique: "other" is renamed "circles" and dated earlier by hand.
        Path file = dir.resolve("models").resolve(older.id()).resolve("model.json");
        ObjectNode json = (ObjectNode) JSON.readTree(Files.readString(file));
        json.put("name", "circles");
        json.put("createdAt", "2020-01-01T00:00:00Z");
        Files.writeString(file, JSON.writeValueAsString(json));

        ModelRegistry after = registry();

        assertThat(after.list()).extracting(ModelDefinition::id).containsExactlyInAnyOrder(younger.id(), older.id());
        assertThat(after.get("circles").id()).isEqualTo(older.id());
        assertThat(after.get(younger.id()).name()).as("the other one by its id").isEqualTo("circles");
        assertThat(output).contains("2 models share the name 'circles'").contains(older.id());
        assertThatThrownBy(() -> create(after, "circles")).isInstanceOf(ModelNameTakenException.class);

        after.delete("circles"); // the oldest
        assertThat(after.get("circles").id()).isEqualTo(younger.id());
    }

    @Test
    void anAliasIsSetMovedListedRemovedAndResolvedByVersionSelectors() {
        ModelRegistry registry = registry();
        ModelDefinition model = create(registry, "lecture");
        publish(registry, model.id(), 1);
        publish(registry, model.id(), 2);

        assertThat(registry.setAlias("lecture", "champion", VersionSelector.number(1))).isEqualTo(Map.of("champion", 1));
        assertThat(registry.version("lecture", VersionSelector.of("champion", "version")).version()).isEqualTo(1);
        assertThat(registry.setAlias("lecture", "challenger", VersionSelector.LATEST)).containsEntry("challenger", 2);
        publish(registry, model.id(), 3);
        assertThat(registry.version("lecture", VersionSelector.of("challenger", "version")).version())
                .as("latest was resolved when the alias was set").isEqualTo(2);

        registry.setAlias(model.id(), "champion", VersionSelector.number(3)); // moved
        assertThat(registry.aliases("lecture")).containsExactly(Map.entry("challenger", 2), Map.entry("champion", 3));
        assertThat(registry.version("lecture", VersionSelector.of("champion", "v")).version()).isEqualTo(3);

        assertThat(registry.removeAlias("lecture", "challenger")).isEqualTo(Map.of("champion", 3));
        assertThatThrownBy(() -> registry.removeAlias("lecture", "challenger")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status().value()).isEqualTo(404));
        assertThatThrownBy(() -> registry.version("lecture", VersionSelector.of("challenger", "version")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("no alias 'challenger'"));
    }

    @Test
    void anAliasToAVersionThatDoesNotExistIs404AndABadAliasName400() {
        ModelRegistry registry = registry();
        ModelDefinition model = create(registry, "lecture");
        assertThatThrownBy(() -> registry.setAlias("lecture", "champion", VersionSelector.LATEST))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(409));
        publish(registry, model.id(), 1);

        assertThatThrownBy(() -> registry.setAlias("lecture", "champion", VersionSelector.number(2)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(404));
        for (String bad : new String[] {"2", "2nd", "latest", "Latest", "compare", "-x", "_x", "a b", "a.b", "é", "a".repeat(64)}) {
            assertThatThrownBy(() -> registry.setAlias("lecture", bad, VersionSelector.number(1))).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status().value()).isEqualTo(400);
                        assertThat(e.errors()).extracting(ApiError::field).containsExactly("alias");
                    });
        }
        assertThat(registry.aliases("lecture")).isEmpty();
        assertThat(registry.setAlias("lecture", "prod-2_b", VersionSelector.number(1))).containsEntry("prod-2_b", 1);
    }

    @Test
    void aliasesAreOneFileThatSurvivesAReloadAndGoesWithTheModel() {
        ModelRegistry registry = registry();
        ModelDefinition model = create(registry, "lecture");
        publish(registry, model.id(), 1);
        registry.setAlias("lecture", "champion", VersionSelector.number(1));
        Path aliases = dir.resolve("models").resolve(model.id()).resolve("aliases.json");
        assertThat(aliases).exists();

        assertThat(registry().aliases("lecture")).isEqualTo(Map.of("champion", 1));

        registry.delete("lecture");
        assertThat(aliases).doesNotExist();
        ModelDefinition again = create(registry, "lecture");
        assertThat(registry.aliases(again.id())).as("a new model of the name has none").isEmpty();
    }
}
