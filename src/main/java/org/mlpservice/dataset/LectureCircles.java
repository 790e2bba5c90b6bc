package org.mlpservice.dataset;

import org.mlpservice.web.LimitsProperties;
import org.springframework.stereotype.Component;

/**
 * The lecture's dataset for the demo data (README, Configuration: {@code mlp.demo.enabled}):
 * sklearn's {@code make_circles(100, noise=0.15, factor=0.3, random_state=0)}, made by the same code
 * as {@code POST /api/v1/datasets/generate}, under a fixed id the OpenAPI examples can name. The id
 * has the prefix of every dataset id but not the 12 hex digits of a fresh one, so none can take it.
 */
@Component
public class LectureCircles {

    /** The demo dataset's id. */
    public static final String ID = "ds-lecture";

    /** What {@code POST /api/v1/datasets/generate} would be sent for it. */
    public static final GenerateRequest REQUEST = new GenerateRequest("circles", 100, 0.15, 0.3, 0L, "circles");

    private final DatasetIntake intake;
    private final LimitsProperties limits;

    LectureCircles(DatasetIntake intake, LimitsProperties limits) {
        this.intake = intake;
        this.limits = limits;
    }

    /** Generates and stores the circles under {@link #ID}. */
    public DatasetDescription create() {
        return intake.generate(REQUEST.resolve(limits.rows()), ID);
    }
}
