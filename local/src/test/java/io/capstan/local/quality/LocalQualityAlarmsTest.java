package io.capstan.local.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.monitoring.QualityMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local quality alarms evaluate each figure as the CDK app's CloudWatch alarms do (one datapoint, below the
 * minimum accuracy or above the maximum error), log only changes of state, pass every figure on, and refuse a
 * definition that the CDK app would refuse.
 */
class LocalQualityAlarmsTest {
    private final List<String> log = new ArrayList<>();
    private final List<QualityMetrics.Measured> published = new ArrayList<>();

    @Test
    void anAccuracyBelowTheMinimum_raisesTheAlarm_once_andARecoveryClearsIt() {
        LocalQualityAlarms alarms = new LocalQualityAlarms(published::add,
                "[{\"model\": \"churn\", \"min_accuracy\": 0.9}, {\"model\": \"price\","
                        + " \"max_mean_absolute_error\": 2.5, \"schedule\": \"rate(1 hour)\"},"
                        + " {\"model\": \"*\", \"schedule\": \"rate(1 hour)\"}]", log::add);
        assertThat(alarms.state("*")).as("a schedule without an alarm is no alarm").isEmpty();
        assertThat(alarms.state("churn")).contains(LocalQualityAlarms.State.INSUFFICIENT_DATA);

        alarms.publish(accuracy("churn", 0.95, "r1"));
        alarms.publish(accuracy("churn", 0.61, "r2"));
        alarms.publish(accuracy("churn", 0.60, "r3"));
        assertThat(alarms.state("churn")).contains(LocalQualityAlarms.State.ALARM);
        alarms.publish(accuracy("churn", 0.90, "r4"));
        alarms.publish(new QualityMetrics.Measured("price", QualityMetrics.MEAN_ABSOLUTE_ERROR, 3.0, 1, 10, "r5"));
        alarms.publish(accuracy("other", 0.1, "r6"));

        assertThat(published).hasSize(6);
        assertThat(log.subList(1, log.size())).containsExactly(
                "OK quality of churn: INSUFFICIENT_DATA -> OK, Accuracy 0.9500 >= 0.9000 over 100 labels (report r1)",
                "ALARM quality of churn: OK -> ALARM, Accuracy 0.6100 < 0.9000 over 100 labels (report r2)",
                "OK quality of churn: ALARM -> OK, Accuracy 0.9000 >= 0.9000 over 100 labels (report r4)",
                "ALARM quality of price: INSUFFICIENT_DATA -> ALARM, MeanAbsoluteError 3.0000 > 2.5000 over 10 labels"
                        + " (report r5)");
        assertThat(alarms.state("other")).isEmpty();
    }

    @Test
    void aDefinitionTheCdkAppWouldRefuse_isRefused_namingTheProperty() {
        for (String wrong : List.of("{\"model\": \"a\"}", "[{\"model\": \"*\", \"min_accuracy\": 0.9}]",
                "[{\"model\": \"a\", \"min_accuracy\": 1.5}]", "[{\"model\": \"a\", \"min_accuracy\": \"high\"}]",
                "[{\"model\": \"a\", \"min_accuracy\": 0.9, \"max_mean_absolute_error\": 1}]",
                "[{\"model\": \"a\", \"min_acuracy\": 0.9}]", "[{\"model\": \"a\", \"min_accuracy\": 0.9},"
                        + " {\"model\": \"a\", \"min_accuracy\": 0.8}]", "[not json")) {
            assertThatThrownBy(() -> new LocalQualityAlarms(published::add, wrong, log::add)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(LocalQualityAlarms.PROPERTY);
        }
    }

    private static QualityMetrics.Measured accuracy(String model, double value, String report) {
        return new QualityMetrics.Measured(model, QualityMetrics.ACCURACY, value, 0.5, 100, report);
    }
}
