package io.capstan.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizationTest {

    @Test
    void fit_trainingRows_populationMeanAndStandardDeviation() {
        Standardization scaling = Standardization.fit(List.of(new double[]{1, 10}, new double[]{3, 30}));

        assertThat(scaling.means()).containsExactly(2f, 20f);
        assertThat(scaling.scales()).containsExactly(1f, 10f);
        assertThat(scaling.apply(new double[]{5, 0})).containsExactly(3, -2);
    }

    @Test
    void fit_constantOrTinyColumn_scaleOneAndFiniteValues() {
        Standardization scaling = Standardization.fit(List.of(new double[]{7.5, 1e-300}, new double[]{7.5, 2e-300}));

        assertThat(scaling.scales()).containsExactly(1f, 1f);
        assertThat(scaling.apply(new double[]{7.5, 1e-300})).containsExactly(0, 0);
        assertThat(scaling.apply(new double[]{9.5, 5})).containsExactly(2, 5);
    }

    @Test
    void apply_rawValue_computedInFloatAsTheGraphDoes() {
        Standardization scaling = Standardization.fit(List.of(new double[]{0.1}, new double[]{0.4}));

        float expected = ((float) 0.3 - scaling.means()[0]) / scaling.scales()[0];
        assertThat(scaling.apply(new double[]{0.3})[0]).isEqualTo(expected);
    }
}
