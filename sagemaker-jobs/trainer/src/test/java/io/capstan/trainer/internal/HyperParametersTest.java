package io.capstan.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperParametersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void parse_nothing_defaultsOfLogisticRegression() {
        HyperParameters parameters = HyperParameters.parse(null, Map.of());

        assertThat(parameters.algorithm()).isEqualTo(Algorithm.LOGISTIC_REGRESSION);
        assertThat(parameters.asReported()).containsExactly(
                Map.entry("algorithm", "logistic-regression"), Map.entry("label_column", "label"),
                Map.entry("seed", 42L), Map.entry("validation_fraction", 0.2), Map.entry("epochs", 20),
                Map.entry("learning_rate", 0.1), Map.entry("adagrad_epsilon", 0.1), Map.entry("minibatch_size", 1),
                Map.entry("history_max_row_epochs", 10_000_000L));
        assertThat(parameters.featureColumns()).isEmpty();
    }

    @Test
    void parse_sageMakerStringsAndPlainJsonValues_sameResult() {
        HyperParameters strings = HyperParameters.parse(json("{\"epochs\":\"7\",\"learning_rate\":\"0.05\","
                + "\"seed\":\"9\",\"algorithm\":\"bagging\",\"ensemble_size\":\"3\"}"), Map.of());
        HyperParameters numbers = HyperParameters.parse(json("{\"epochs\":7,\"learning_rate\":0.05,"
                + "\"seed\":9.0,\"algorithm\":\"bagging\",\"ensemble_size\":3}"), Map.of());

        assertThat(strings).isEqualTo(numbers);
        assertThat(strings.epochs()).isEqualTo(7);
        assertThat(strings.get("ensemble_size", Integer.class)).isEqualTo(3);
    }

    @Test
    void parse_sageMakerKeys_ignored() {
        HyperParameters parameters = HyperParameters.parse(json("{\"sagemaker_program\":\"train.py\","
                + "\"sagemaker_submit_directory\":\"s3://b/code\",\"epochs\":\"3\"}"), Map.of());

        assertThat(parameters.epochs()).isEqualTo(3);
    }

    @Test
    void parse_featureColumns_trimmedList() {
        HyperParameters parameters = HyperParameters.parse(json("{\"feature_columns\":\" a, b ,c\"}"), Map.of());

        assertThat(parameters.featureColumns()).containsExactly("a", "b", "c");
    }

    @Test
    void parse_libsvm_ownDefaultsOnly() {
        HyperParameters parameters = HyperParameters.parse(json("{\"algorithm\":\"libsvm\"}"), Map.of());

        assertThat(parameters.values()).containsEntry("kernel", "linear").containsEntry("gamma", "auto")
                .containsEntry("cost", 1.0).doesNotContainKey("epochs");
        assertThat(parameters.epochs()).isZero();
        assertThat(TribuoTrainers.libSvmGamma(parameters, 4)).isEqualTo(0.25);
    }

    @Test
    void parse_environmentValues_usedUnlessTheJsonNamesThem() {
        HyperParameters parameters = HyperParameters.parse(json("{\"train_uri\":\"s3://from-json/train\"}"),
                Map.of("train_uri", "s3://from-env/train", "model_output_uri", "s3://from-env/model"));

        assertThat(parameters.location("train_uri")).isEqualTo(new S3Location("from-json", "train"));
        assertThat(parameters.location("model_output_uri")).isEqualTo(new S3Location("from-env", "model"));
        assertThat(parameters.location("validation_uri")).isNull();
    }

    @Test
    void parse_invalidValues_namesFieldAndValue() {
        assertInvalid("{\"epochs\":\"ten\"}", "hyperparameter 'epochs'", "'ten'");
        assertInvalid("{\"epochs\":\"0\"}", "hyperparameter 'epochs'", "'0'");
        assertInvalid("{\"epochs\":\"2.5\"}", "hyperparameter 'epochs'", "'2.5'");
        assertInvalid("{\"learning_rate\":\"-0.1\"}", "hyperparameter 'learning_rate'", "positive");
        assertInvalid("{\"learning_rate\":\"NaN\"}", "hyperparameter 'learning_rate'", "'NaN'");
        assertInvalid("{\"validation_fraction\":\"1\"}", "hyperparameter 'validation_fraction'", "between 0 and 1");
        assertInvalid("{\"algorithm\":\"xgboost\"}", "hyperparameter 'algorithm'", "'xgboost'", "logistic-regression");
        assertInvalid("{\"feature_columns\":\"a,,b\"}", "hyperparameter 'feature_columns'", "empty entry");
        assertInvalid("{\"feature_columns\":\"a,b,a\"}", "hyperparameter 'feature_columns'", "'a' is repeated");
        assertInvalid("{\"algorithm\":\"liblinear\",\"solver\":\"l2r_lr\"}", "hyperparameter 'solver'", "'l2r_lr'");
        assertInvalid("{\"train_uri\":\"https://bucket/x\"}", "hyperparameter 'train_uri'", "s3://");
        assertInvalid("{\"epochs\":[1,2]}", "hyperparameter 'epochs'", "string, number or boolean");
        assertInvalid("[1,2]", "JSON object");
    }

    @Test
    void parse_unknownName_namesItAndTheKnownOnes() {
        assertInvalid("{\"learningrate\":\"0.1\"}", "unknown hyperparameter 'learningrate'", "learning_rate");
    }

    @Test
    void parse_nameOfAnotherAlgorithm_rejected() {
        assertInvalid("{\"algorithm\":\"liblinear\",\"epochs\":\"3\"}", "hyperparameter 'epochs'",
                "does not apply to algorithm 'liblinear'");
    }

    @Test
    void specs_everyDefault_parsesForItsAlgorithms() {
        for (HyperParameterSpec spec : HyperParameters.SPECS) {
            if (spec.defaultValue() != null) {
                assertThat(spec.parse(spec.defaultValue())).as(spec.name()).isNotNull();
            }
        }
        assertThat(HyperParameters.SPECS.stream().map(HyperParameterSpec::name).distinct().toList())
                .hasSameSizeAs(HyperParameters.SPECS);
    }

    private static void assertInvalid(String json, String... fragments) {
        assertThatThrownBy(() -> HyperParameters.parse(json(json), Map.of()))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains(List.of(fragments));
                });
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
