package org.mlpservice.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelEncoderTest {

    @Test
    void sortsNumericLabelsAsNumbers() {
        LabelEncoder encoder = LabelEncoder.fit(new String[] {"10", "2", "-1", "2", "1.5", "10"});

        assertThat(encoder.classes()).containsExactly("-1", "1.5", "2", "10");
        assertThat(encoder.indexOf("10")).isEqualTo(3);
    }

    @Test
    void sortsOtherLabelsLexicographically() {
        // One non-number among numbers makes the whole set sort as strings: "10" < "2" < "a".
        LabelEncoder encoder = LabelEncoder.fit(new String[] {"2", "a", "10", "B"});

        assertThat(encoder.classes()).containsExactly("10", "2", "B", "a");
    }

    @Test
    void twoClassesAreOneZeroOneColumn() {
        LabelEncoder encoder = LabelEncoder.fit(new String[] {"yes", "no", "yes"});

        assertThat(encoder.classes()).containsExactly("no", "yes");
        assertThat(encoder.outputs()).isEqualTo(1);
        assertThat(encoder.encode(new String[] {"yes", "no", "no", "yes"})).containsExactly(1f, 0f, 0f, 1f);
        assertThat(encoder.decode(new float[] {0.5f})).isEqualTo("yes");
        assertThat(encoder.decode(new float[] {0.49f})).isEqualTo("no");
    }

    @Test
    void moreClassesAreOneHot() {
        LabelEncoder encoder = LabelEncoder.fit(new String[] {"virginica", "setosa", "versicolor"});

        assertThat(encoder.outputs()).isEqualTo(3);
        assertThat(encoder.encode(new String[] {"versicolor", "setosa", "virginica"}))
                .containsExactly(0, 1, 0, /**/ 1, 0, 0, /**/ 0, 0, 1);
        assertThat(encoder.decode(new float[] {0.1f, 0.2f, 0.7f})).isEqualTo("virginica");
        assertThat(encoder.decode(new float[] {0.6f, 0.3f, 0.1f})).isEqualTo("setosa");
    }

    @Test
    void encodeThenDecodeGivesTheLabelsBack() {
        String[] labels = {"3", "1", "2", "1", "3"};
        LabelEncoder encoder = LabelEncoder.fit(labels);
        float[] y = encoder.encode(labels);

        for (int r = 0; r < labels.length; r++) {
            float[] row = java.util.Arrays.copyOfRange(y, r * 3, r * 3 + 3);
            assertThat(encoder.decode(row)).isEqualTo(labels[r]);
        }
    }

    @Test
    void rejectsAnUnknownLabelByName() {
        LabelEncoder encoder = LabelEncoder.fit(new String[] {"cat", "dog"});

        assertThatThrownBy(() -> encoder.indexOf("bird")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bird'");
        assertThatThrownBy(() -> encoder.encode(new String[] {"cat", "emu"})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'emu'");
    }

    @Test
    void needsTwoClasses() {
        assertThatThrownBy(() -> LabelEncoder.fit(new String[] {"a", "a"})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> LabelEncoder.fit(new String[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodeChecksTheRowWidth() {
        LabelEncoder encoder = LabelEncoder.fit(new String[] {"a", "b", "c"});

        assertThatThrownBy(() -> encoder.decode(new float[] {1f})).isInstanceOf(IllegalArgumentException.class);
    }
}
