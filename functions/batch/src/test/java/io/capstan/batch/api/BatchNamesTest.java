package io.capstan.batch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.batch.S3Location;
import io.capstan.error.CapstanException;
import org.junit.jupiter.api.Test;

/**
 * A job's execution name is the state machine's, so two models' jobs of one request id get two names, each one Step
 * Functions takes; the batch locations take prefixes only and hold a location to its bucket and prefix.
 */
class BatchNamesTest {

    @Test
    void executionNames_differByModel_andAreNamesStepFunctionsTakes() {
        String longest = "j".repeat(64);
        String churn = BatchFunction.executionName("churn", longest);
        String fraud = BatchFunction.executionName("fraud", longest);

        assertThat(churn).isNotEqualTo(fraud).endsWith("-" + longest).matches("[A-Za-z0-9_-]{1,80}");
        assertThat(BatchFunction.executionName("churn", "nightly-1"))
                .isEqualTo(BatchFunction.executionName("churn", "nightly-1"));
    }

    @Test
    void locations_holdAJobToTheirBucketsAndPrefixes() {
        BatchLocations locations = BatchLocations.parse("s3://capstan-datasets/batch/, s3://partner-scores/capstan/");

        locations.check("input", S3Location.parse("input", "s3://capstan-datasets/batch/nightly/rows.csv"));
        locations.check("output", S3Location.parse("output", "s3://partner-scores/capstan/out/"));
        assertThatThrownBy(() -> locations.check("output", S3Location.parse("output", "s3://partner-scores/other/")))
                .isInstanceOf(CapstanException.class).hasMessageContaining("'output' is s3://partner-scores/other/");
        assertThatThrownBy(() -> locations.check("input", S3Location.parse("input",
                "s3://capstan-datasets/batchx/rows.csv"))).isInstanceOf(CapstanException.class);
        assertThatThrownBy(() -> BatchLocations.parse("s3://capstan-datasets/batch/rows.csv"))
                .hasMessageContaining("prefix ending in /");
    }
}
