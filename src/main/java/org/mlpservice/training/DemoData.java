package org.mlpservice.training;

import java.util.List;
import org.mlpservice.dataset.DatasetCatalog;
import org.mlpservice.dataset.DatasetDescription;
import org.mlpservice.dataset.LectureCircles;
import org.mlpservice.engine.Initializer;
import org.mlpservice.engine.LayerSpec;
import org.mlpservice.model.ModelDefinition;
import org.mlpservice.model.ModelNameTakenException;
import org.mlpservice.model.ModelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The lecture's dataset and model on a first start, so that the OpenAPI examples run as given
 * (README, Configuration: {@code mlp.demo.enabled}, default true). Only on an empty data directory,
 * no dataset and no model: a service in use is never given data it did not ask for, and one whose
 * user deleted the demo does not see it again. Here because training is where a dataset and a
 * model meet; neither package knows the other's side.
 */
@Component
class DemoData implements ApplicationRunner {

    /** The demo model's name, which the examples use in place of its id. */
    static final String MODEL_NAME = "lecture";

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final boolean enabled;
    private final DatasetCatalog datasets;
    private final LectureCircles circles;
    private final ModelRegistry models;

    DemoData(@Value("${mlp.demo.enabled:true}") boolean enabled, DatasetCatalog datasets, LectureCircles circles,
             ModelRegistry models) {
        this.enabled = enabled;
        this.datasets = datasets;
        this.circles = circles;
        this.models = models;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!enabled || !datasets.summaries().isEmpty() || !models.list().isEmpty()) {
            return;
        }
        DatasetDescription dataset = circles.create();
        // 2 inputs, Dense 20 relu, Dense 1 sigmoid: 60 + 21 = 81 parameters, untrained.
        ModelDefinition model;
        try {
            model = models.create(MODEL_NAME, 2,
                    List.of(new LayerSpec(20, "relu"), new LayerSpec(1, "sigmoid")),
                    "binary_crossentropy", Initializer.GLOROT_UNIFORM.key(), 0);
        } catch (ModelNameTakenException seededMeanwhile) {
            // Cluster mode: another replica starting at the same moment on the same empty database made it.
            log.info("Demo data: model '{}' was made by another replica meanwhile", MODEL_NAME);
            return;
        }
        log.info("Demo data (mlp.demo.enabled=true, empty data directory): dataset {} '{}' ({} rows, circles) and "
                        + "untrained model '{}' ({}, 2-20-1); the OpenAPI examples use them",
                dataset.id(), dataset.name(), dataset.rows(), model.name(), model.id());
    }
}
