package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlpservice.dataset.UnseenCategories;
import org.mlpservice.engine.Imputer;
import org.mlpservice.engine.Network;
import org.mlpservice.engine.NetworkState;
import org.mlpservice.model.ModelVersion;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A version's fill values and unseen-category policy as its file keeps them across a restart
 * (the model store's JSON), bit for bit; a version file written before they existed still loads.
 */
class FillValuesRoundTripTest {

    /** As the model store reads and writes version files. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Test
    void fillValuesAndThePolicySurviveTheVersionFileBitForBit() throws Exception {
        float awkward = Float.intBitsToFloat(0x3EAAAAAB); // 1/3 in float32, which decimal text must not round
        NetworkState s = TestModels.planeNetwork().state();
        Network filled = Network.fromState(new NetworkState(s.inputs(), s.loss(), s.initializer(), s.seed(), s.layers(),
                s.inputScaling(), s.targetScaling(), s.classes(), new Imputer("median", new float[] {awkward})));
        ModelVersion version = TestModels.version("m", 1,
                TestModels.FRUIT_SCHEMA.withUnseenCategories(UnseenCategories.IGNORE), filled);

        ModelVersion back = JSON.readValue(JSON.writeValueAsBytes(version), ModelVersion.class);

        assertThat(back.state().imputation().statistic()).isEqualTo("median");
        assertThat(Float.floatToRawIntBits(back.state().imputation().values()[0])).isEqualTo(0x3EAAAAAB);
        assertThat(back.schema().unseenCategories()).isEqualTo(UnseenCategories.IGNORE);
        assertThat(Network.fromState(back.state()).predict(new float[] {Float.NaN}, 1))
                .containsExactly(filled.predict(new float[] {awkward}, 1));
    }

    @Test
    void aVersionFileFromBeforeFillValuesLoadsWithoutThem() throws Exception {
        ModelVersion version = TestModels.version("m", 1, TestModels.PLANE_SCHEMA, TestModels.planeNetwork());
        ObjectNode old = (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(version));
        ((ObjectNode) old.path("state")).remove("imputation");
        ((ObjectNode) old.path("schema")).remove(List.of("missing", "unseenCategories"));

        ModelVersion back = JSON.treeToValue(old, ModelVersion.class);

        assertThat(back.state().imputation()).isNull();
        assertThat(Network.fromState(back.state()).imputer()).isNull();
        assertThat(back.schema().unseenCategories()).isEqualTo(UnseenCategories.ERROR);
        assertThat(back.schema()).isEqualTo(TestModels.PLANE_SCHEMA);
    }
}
