package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mlpservice.model.ModelTestData.CIRCLES;
import static org.mlpservice.model.ModelTestData.LECTURE_LAYERS;
import static org.mlpservice.model.ModelTestData.METRICS;
import static org.mlpservice.model.NetworkStates.assertBitIdentical;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.engine.Network;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageProperties;
import org.mlpservice.web.ApiException;

/** The registry on a real (temporary) data directory. */
class ModelRegistryTest {

    @TempDir
    Path dir;

    private ModelRegistry registry() {
        return new ModelRegistry(new DataDirectory(new StorageProperties(dir)));
    }

    private static ModelDefinition createLecture(ModelRegistry registry) {
        // Names are unique: the first is "circles-mlp", the next "circles-mlp-2", ...
        int taken = registry.list().size();
        return registry.create(taken == 0 ? "circles-mlp" : "circles-mlp-" + (taken + 1), 2, LECTURE_LAYERS,
                "binary_crossentropy", "glorot_uniform", 42);
    }

    private Path modelDir(String id) {
        return dir.resolve("models").resolve(id);
    }

    @Test
    void createStoresTheDefinition() {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);

        assertThat(registry.get(model.id())).isEqualTo(model);
        assertThat(registry.list()).containsExactly(model);
        assertThat(modelDir(model.id()).resolve("model.json")).isRegularFile();
        assertThat(registry.versions(model.id())).isEmpty();
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);

        assertThatThrownBy(() -> registry.get("nope")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status().value()).isEqualTo(404));
        assertThatThrownBy(() -> registry.versions("nope")).isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> registry.version(model.id(), 1)).isInstanceOfSatisfying(ModelNotFoundException.class,
                e -> assertThat(e.getMessage()).contains("no version 1"));
        assertThatThrownBy(() -> registry.delete("nope")).isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void latestOfAnUntrainedModelIs409() {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);

        assertThatThrownBy(() -> registry.latest(model.id())).isInstanceOfSatisfying(ModelNotTrainedException.class, e -> {
            assertThat(e.status().value()).isEqualTo(409);
            assertThat(e.title()).isEqualTo("Model not trained");
            assertThat(e.getMessage()).contains("training job");
        });
        assertThat(registry.findLatest(model.id())).isEmpty();
    }

    @Test
    void publishingTwiceGivesVersionsOneAndTwo() {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);

        ModelVersion first = registry.publish(model.id(), ModelTestData.lectureNetwork(1), CIRCLES, "job-1", "ds-1", METRICS);
        ModelVersion second = registry.publish(model.id(), ModelTestData.lectureNetwork(2), CIRCLES, "job-2", "ds-1", METRICS);

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(registry.versions(model.id())).containsExactly(first, second);
        assertThat(registry.latest(model.id())).isSameAs(second);
        assertThat(registry.version(model.id(), 1)).isSameAs(first);
        assertThat(first.trainingJobId()).isEqualTo("job-1");
        assertThat(first.metrics()).isEqualTo(METRICS);
        assertThat(modelDir(model.id()).resolve("versions/1.json")).isRegularFile();
        assertThat(modelDir(model.id()).resolve("versions/2.json")).isRegularFile();
    }

    @Test
    void publishCopiesTheNetworkSoTrainingCanGoOn() {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);
        Network trained = ModelTestData.lectureNetwork(1);
        float before = trained.state().layers().get(0).kernel()[0][0];

        ModelVersion version = registry.publish(model.id(), trained, CIRCLES, "job-1", "ds-1", METRICS);
        trained.parameters().get(0).value().data[0] = 42f;
        trained.inputScaling().mean()[0] = 42f;

        assertThat(version.state().layers().get(0).kernel()[0][0]).isEqualTo(before);
        assertThat(version.state().inputScaling().mean()[0]).isEqualTo(0.1f);
    }

    @Test
    void concurrentPublishesGetDistinctNumbers() throws Exception {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);
        Network trained = ModelTestData.lectureNetwork(1);
        int threads = 8;
        int each = 5;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<Integer>> job = () -> {
                    start.await();
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(registry.publish(model.id(), trained, CIRCLES, "job", "ds", METRICS).version());
                    }
                    return mine;
                };
                results.add(pool.submit(job));
            }
            start.countDown();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : results) {
                all.addAll(f.get());
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(threads * each);
            assertThat(all).allSatisfy(v -> assertThat(v).isBetween(1, threads * each));
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.versions(model.id())).extracting(ModelVersion::version)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, threads * each).boxed().toList());
        try (var files = Files.list(modelDir(model.id()).resolve("versions"))) {
            assertThat(files.count()).isEqualTo(threads * each);
        }
    }

    @Test
    void aNewRegistryReloadsDefinitionsAndVersionsBitIdentically() {
        ModelRegistry registry = registry();
        ModelDefinition lecture = createLecture(registry);
        ModelDefinition awkward = registry.create("awkward", null, List.of(new LayerSpec(7, "prelu"),
                new LayerSpec(1, "hard_linear", -0.5, 2.0)), "mse", "he_normal", 7);
        ModelVersion v1 = registry.publish(lecture.id(), ModelTestData.lectureNetwork(1), CIRCLES, "job-1", "ds-1", METRICS);
        ModelVersion v2 = registry.publish(lecture.id(), ModelTestData.lectureNetwork(2), CIRCLES, "job-2", "ds-1", METRICS);
        ModelVersion odd = registry.publish(awkward.id(), ModelTestData.awkwardNetwork(), ModelTestData.PLANE, "job-3", "ds-2",
                java.util.Collections.singletonMap("val_loss", null));

        ModelRegistry reloaded = registry();

        assertThat(reloaded.get(lecture.id())).isEqualTo(lecture);
        assertThat(reloaded.get(awkward.id())).isEqualTo(awkward);
        assertThat(reloaded.versions(lecture.id())).hasSize(2);
        for (ModelVersion expected : List.of(v1, v2, odd)) {
            ModelVersion actual = reloaded.version(expected.modelId(), expected.version());
            assertThat(actual.createdAt()).isEqualTo(expected.createdAt());
            assertThat(actual.trainingJobId()).isEqualTo(expected.trainingJobId());
            assertThat(actual.datasetId()).isEqualTo(expected.datasetId());
            assertThat(actual.schema()).isEqualTo(expected.schema());
            assertThat(actual.metrics()).isEqualTo(expected.metrics());
            assertBitIdentical(actual.state(), expected.state());
        }
        // the next version continues the numbering
        assertThat(reloaded.publish(lecture.id(), ModelTestData.lectureNetwork(3), CIRCLES, "job-4", "ds-1", METRICS).version())
                .isEqualTo(3);
    }

    @Test
    void brokenFilesAreSkippedAtStartUp() throws Exception {
        ModelRegistry registry = registry();
        ModelDefinition good = createLecture(registry);
        registry.publish(good.id(), ModelTestData.lectureNetwork(1), CIRCLES, "job-1", "ds-1", METRICS);
        registry.publish(good.id(), ModelTestData.lectureNetwork(2), CIRCLES, "job-2", "ds-1", METRICS);
        ModelDefinition broken = createLecture(registry);
        Files.writeString(modelDir(broken.id()).resolve("model.json"), "{\"id\": \"" + broken.id() + "\", \"name\":");
        Files.writeString(modelDir(good.id()).resolve("versions/1.json"), "not json");
        Files.createDirectories(dir.resolve("models/orphan/versions"));

        ModelRegistry reloaded = registry();

        assertThat(reloaded.list()).extracting(ModelDefinition::id).containsExactly(good.id());
        assertThat(reloaded.versions(good.id())).extracting(ModelVersion::version).containsExactly(2);
        // a lost version's number is never reused
        assertThat(reloaded.publish(good.id(), ModelTestData.lectureNetwork(3), CIRCLES, "job-3", "ds-1", METRICS).version())
                .isEqualTo(3);
    }

    @Test
    void deleteRemovesTheModelItsVersionsAndTheirFiles() {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);
        ModelVersion version = registry.publish(model.id(), ModelTestData.lectureNetwork(1), CIRCLES, "job-1", "ds-1", METRICS);
        registry.network(version);

        registry.delete(model.id());

        assertThat(modelDir(model.id())).doesNotExist();
        assertThatThrownBy(() -> registry.get(model.id())).isInstanceOf(ModelNotFoundException.class);
        assertThatThrownBy(() -> registry.publish(model.id(), ModelTestData.lectureNetwork(1), CIRCLES, "j", "d", METRICS))
                .isInstanceOf(ModelNotFoundException.class);
        assertThat(registry.list()).isEmpty();
        assertThat(registry().list()).isEmpty();
    }

    @Test
    void deletingTellsWhoeverListensOnce() {
        List<Object> events = new ArrayList<>();
        ModelRegistry registry = new ModelRegistry(new DataDirectory(new StorageProperties(dir)), events::add);
        ModelDefinition model = createLecture(registry);

        registry.delete(model.id());

        assertThat(events).containsExactly(new ModelDeleted(model.id()));
        assertThatThrownBy(() -> registry.delete(model.id())).isInstanceOf(ModelNotFoundException.class);
        assertThat(events).hasSize(1);
    }

    @Test
    void theNetworkOfAVersionIsBuiltOnceAndPredictsLikeTheTrainedOne() {
        ModelRegistry registry = registry();
        ModelDefinition model = createLecture(registry);
        Network trained = ModelTestData.lectureNetwork(1);
        ModelVersion version = registry.publish(model.id(), trained, CIRCLES, "job-1", "ds-1", METRICS);

        Network network = registry.network(version);

        assertThat(registry.network(version)).isSameAs(network);
        float[] x = {0.1f, 0.2f, -0.7f, 0.4f};
        assertThat(NetworkStates.bits(network.predict(x, 2))).isEqualTo(NetworkStates.bits(trained.predict(x, 2)));
        assertThat(network.classes()).containsExactly("0", "1");
    }

    @Test
    void importCreatesAModelWhoseFirstVersionIsTheNetwork() {
        ModelRegistry registry = registry();
        Network network = ModelTestData.lectureNetwork(5);

        ModelVersion version = registry.importModel("imported", network.state(), CIRCLES);

        assertThat(version.version()).isEqualTo(1);
        assertThat(version.trainingJobId()).isNull();
        ModelDefinition model = registry.get(version.modelId());
        assertThat(model.name()).isEqualTo("imported");
        assertThat(model.inputs()).isEqualTo(2);
        assertThat(model.layers()).isEqualTo(LECTURE_LAYERS);
        assertBitIdentical(registry().latest(model.id()).state(), network.state());
    }
}
