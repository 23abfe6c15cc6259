package io.capstan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExecutionNamesTest {

    @Test
    void belongsTo_namesOfTheModelsOwnExecutions_isTrue() {
        assertThat(ExecutionNames.belongsTo(ExecutionNames.forUpload("churn", "b", "datasets/churn/a.csv", "v1"),
                "churn")).isTrue();
        assertThat(ExecutionNames.belongsTo(ExecutionNames.manual("churn", "manual"), "churn")).isTrue();
        assertThat(ExecutionNames.belongsTo(ExecutionNames.manual("churn", "Drift!"), "churn")).isTrue();
    }

    @Test
    void belongsTo_executionOfAModelWhoseNameExtendsThisOne_isFalse() {
        String upload = ExecutionNames.forUpload("churn-v2", "b", "datasets/churn-v2/a.csv", "v1");
        String manual = ExecutionNames.manual("churn-v2", "manual");

        assertThat(ExecutionNames.belongsTo(upload, "churn")).isFalse();
        assertThat(ExecutionNames.belongsTo(manual, "churn")).isFalse();
        assertThat(ExecutionNames.belongsTo(upload, "churn-v2")).isTrue();
        assertThat(ExecutionNames.belongsTo(manual, "churn-v2")).isTrue();
    }

    @Test
    void belongsTo_longModelNames_areToldApartByTheirHash() {
        String longName = "a-model-name-that-is-far-longer-than-forty-characters";
        String execution = ExecutionNames.manual(longName, "manual");

        assertThat(execution).matches("[A-Za-z0-9_-]{1,80}");
        assertThat(ExecutionNames.belongsTo(execution, longName)).isTrue();
        assertThat(ExecutionNames.belongsTo(execution, longName + "-2")).isFalse();
    }
}
