package io.capstan.infra.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The quality schedules a deployment names in its CDK context: read, defaulted, and refused with the reason. */
class QualityScheduleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parse_readsEachScheduleWithItsWindowAndThreshold() throws Exception {
        assertThat(QualitySchedule.parse(JSON.readTree("[{\"model\": \"*\", \"schedule\": \"rate(1 hour)\"},"
                + " {\"model\": \"price\", \"schedule\": \"cron(0 6 * * ? *)\", \"window_hours\": 48,"
                + " \"max_mean_absolute_error\": 2.5}]"))).containsExactly(QualitySchedule.DEFAULT,
                new QualitySchedule("price", "cron(0 6 * * ? *)", 48, OptionalDouble.empty(), OptionalDouble.of(2.5)));
    }

    @Test
    void parse_refusesWhatCannotBeScheduled_sayingWhy() {
        assertRefused("{\"model\": \"*\"}", "must be a JSON array");
        assertRefused("[{\"model\": \"*\"}]", "each entry is");
        assertRefused("[{\"model\": \"*\", \"schedule\": \"rate(1 hour)\", \"min_accuracy\": 0.9}]", "needs a named");
        assertRefused("[{\"model\": \"a\", \"schedule\": \"rate(1 hour)\", \"min_accuracy\": 1.5}]", "min_accuracy");
        assertRefused("[{\"model\": \"a\", \"schedule\": \"rate(1 hour)\", \"window_hours\": 800}]", "window_hours");
        assertRefused("[{\"model\": \"a\", \"schedule\": \"rate(1 hour)\", \"min_accuracy\": \"high\"}]",
                "must be a number");
        assertRefused("[{\"model\": \"a\", \"schedule\": \"every hour\"}]", "schedule expression");
        assertRefused("[{\"model\": \"a\", \"schedule\": \"rate(1 hour)\", \"alarm\": true}]", "unknown field");
        assertRefused("[{\"model\": \"a\", \"schedule\": \"rate(1 hour)\"}, {\"model\": \"a\","
                + " \"schedule\": \"rate(2 hours)\"}]", "scheduled twice");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> QualitySchedule.parse(JSON.readTree(json)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
