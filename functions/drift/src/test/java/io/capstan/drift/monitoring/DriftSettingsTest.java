package io.capstan.drift.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.drift.DriftMethod;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DriftSettingsTest {

    @Test
    void fromTags_noTags_defaults() {
        DriftSettings settings = DriftSettings.fromTags(Map.of("team", "risk"));

        assertThat(settings.window()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.minRows()).isEqualTo(100);
        assertThat(settings.retrain()).isFalse();
        assertThat(settings.cooldown()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.config()).isEqualTo(io.capstan.drift.DriftConfig.defaults());
    }

    @Test
    void fromTags_everyTag_read() {
        DriftSettings settings = DriftSettings.fromTags(Map.of(
                DriftSettings.WINDOW_HOURS, "0.5",
                DriftSettings.MIN_ROWS, "20",
                DriftSettings.DRIFT_SHARE, "0.3",
                DriftSettings.NUMERIC_METHOD, "psi",
                DriftSettings.CATEGORICAL_METHOD, "chisquare",
                DriftSettings.METHOD_PREFIX + "age", "ks",
                DriftSettings.THRESHOLD_PREFIX + "psi", "0.2",
                DriftSettings.COLUMN_THRESHOLD_PREFIX + "age", "0.01",
                DriftSettings.RETRAIN, "TRUE",
                DriftSettings.COOLDOWN_HOURS, "6"));

        assertThat(settings.window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.minRows()).isEqualTo(20);
        assertThat(settings.retrain()).isTrue();
        assertThat(settings.cooldown()).isEqualTo(Duration.ofHours(6));
        assertThat(settings.config().driftShare()).isEqualTo(0.3);
        assertThat(settings.config().numericMethod()).isEqualTo(DriftMethod.PSI);
        assertThat(settings.config().categoricalMethod()).isEqualTo(DriftMethod.CHI_SQUARE);
        assertThat(settings.config().forcedMethod("age", true)).contains(DriftMethod.KS);
        assertThat(settings.config().threshold("income", DriftMethod.PSI, true)).isEqualTo(0.2);
        assertThat(settings.config().threshold("age", DriftMethod.KS, true)).isEqualTo(0.01);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "capstan.drift.window_hours, 0",
        "capstan.drift.window_hours, 745",
        "capstan.drift.window_hours, soon",
        "capstan.drift.min_rows, 0",
        "capstan.drift.drift_share, 1.5",
        "capstan.drift.numeric_method, anderson",
        "capstan.drift.threshold.bogus, 0.1",
        "capstan.drift.threshold.ks, -1",
        "capstan.drift.retrain, yes",
        "capstan.drift.cooldown_hours, -2",
    })
    void fromTags_wrongValue_namesTheTag(String tag, String value) {
        assertThatThrownBy(() -> DriftSettings.fromTags(Map.of(tag, value)))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains(tag);
                });
    }
}
