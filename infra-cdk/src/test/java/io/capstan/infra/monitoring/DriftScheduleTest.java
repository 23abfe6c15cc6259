package io.capstan.infra.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.infra.CapstanApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/** Reading the schedules from the CDK context; no synthesis. */
class DriftScheduleTest {

    @Test
    void fromContext_unset_checksEveryModelHourly() {
        assertThat(DriftSchedule.fromContext(app(Map.of()))).containsExactly(
                new DriftSchedule("*", "rate(1 hour)"));
    }

    @Test
    void fromContext_jsonTextFromTheCommandLine_isParsedInOrder() {
        String text = "[{\"model\": \"churn\", \"schedule\": \"rate(30 minutes)\"},"
                + " {\"model\": \"*\", \"schedule\": \"cron(0 6 * * ? *)\"}]";

        assertThat(DriftSchedule.fromContext(app(Map.of(DriftSchedule.CONTEXT_KEY, text)))).containsExactly(
                new DriftSchedule("churn", "rate(30 minutes)"), new DriftSchedule("*", "cron(0 6 * * ? *)"));
    }

    @Test
    void fromContext_arrayFromCdkJson_isParsed() {
        List<Map<String, String>> value = List.of(Map.of("model", "fraud", "schedule", "rate(1 day)"));

        assertThat(DriftSchedule.fromContext(app(Map.of(DriftSchedule.CONTEXT_KEY, value)))).containsExactly(
                new DriftSchedule("fraud", "rate(1 day)"));
    }

    @Test
    void fromContext_emptyArray_schedulesNothing() {
        assertThat(DriftSchedule.fromContext(app(Map.of(DriftSchedule.CONTEXT_KEY, "[]")))).isEmpty();
    }

    @Test
    void fromContext_notJson_failsNamingTheKey() {
        assertThatThrownBy(() -> DriftSchedule.fromContext(app(Map.of(DriftSchedule.CONTEXT_KEY, "rate(1 hour)"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DriftSchedule.CONTEXT_KEY);
    }

    @Test
    void fromContext_anObjectInsteadOfAnArray_failsSayingWhatIsExpected() {
        assertThatThrownBy(() -> DriftSchedule.fromContext(app(Map.of(DriftSchedule.CONTEXT_KEY,
                "{\"churn\": \"rate(1 hour)\"}"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON array");
    }

    @Test
    void fromContext_unknownField_failsShowingTheEntry() {
        assertThatThrownBy(() -> DriftSchedule.fromContext(app(Map.of(DriftSchedule.CONTEXT_KEY,
                "[{\"model\": \"churn\", \"rate\": \"rate(1 hour)\"}]"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"rate\"");
    }

    @Test
    void fromContext_modelTwice_fails() {
        assertThatThrownBy(() -> DriftSchedule.fromContext(app(Map.of(DriftSchedule.CONTEXT_KEY,
                "[{\"model\": \"churn\", \"schedule\": \"rate(1 hour)\"},"
                        + " {\"model\": \"churn\", \"schedule\": \"rate(2 hours)\"}]"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheduled twice");
    }

    @Test
    void new_expressionNeitherRateNorCron_failsNamingTheModel() {
        assertThatThrownBy(() -> new DriftSchedule("churn", "every hour"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("churn").hasMessageContaining("rate(");
    }

    @Test
    void new_blankModel_fails() {
        assertThatThrownBy(() -> new DriftSchedule(" ", "rate(1 hour)")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void input_isTheEventTheDriftFunctionRecognises() {
        assertThat(new DriftSchedule("churn", "rate(1 hour)").input())
                .containsExactly(Map.entry("source", "capstan.schedule"), Map.entry("model", "churn"));
    }

    @Test
    void constructId_isStableAndKeepsNamesThatDifferOnlyInPunctuationApart() {
        assertThat(new DriftSchedule("*", "rate(1 hour)").constructId()).isEqualTo("AllModels");
        assertThat(new DriftSchedule("churn-v2", "rate(1 hour)").constructId())
                .isEqualTo(new DriftSchedule("churn-v2", "rate(2 hours)").constructId())
                .isNotEqualTo(new DriftSchedule("churn.v2", "rate(1 hour)").constructId())
                .matches("Modelchurnv2[0-9a-f]{8}");
    }

    private static App app(Map<String, ?> context) {
        return CapstanApp.newApp(context);
    }
}
