package io.capstan.predict.function;

import static io.capstan.predict.testutils.PredictFixture.BREAST_CANCER;
import static io.capstan.predict.testutils.PredictFixture.IRIS;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.predict.ModelReference;
import io.capstan.predict.testutils.ConvertedModelsFixture;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimeTest {

    @Test
    void prime_hotModels_loadedAndRunOnce() {
        try (PredictFixture fixture = new PredictFixture()) {
            fixture.resolver.hot(ModelReference.champion(BREAST_CANCER)).hot(ModelReference.alias(IRIS, "missing"))
                    .hot(ModelReference.version(IRIS, 1));

            List<PrimeOutcome> outcomes = fixture.function.prime();

            assertThat(outcomes).hasSize(3);
            assertThat(outcomes.get(0)).isInstanceOfSatisfying(PrimeOutcome.Primed.class,
                    primed -> assertThat(primed.version()).isEqualTo("1"));
            assertThat(outcomes.get(1)).isInstanceOfSatisfying(PrimeOutcome.Failed.class,
                    failed -> assertThat(failed.reason()).contains("iris@missing"));
            assertThat(outcomes.get(2)).isInstanceOf(PrimeOutcome.Primed.class);
            assertThat(fixture.sessions.size()).isEqualTo(2);
        }
    }

    @Test
    void prime_thenRequest_fetchesNoBytesAgain() {
        try (PredictFixture fixture = new PredictFixture()) {
            fixture.resolver.hot(ModelReference.champion(BREAST_CANCER));
            fixture.function.prime();

            fixture.call(post("/models/" + BREAST_CANCER + "/invocations",
                    Requests.dataframeSplit(TrainedModels.breastCancer(), 1)));

            assertThat(fixture.resolver.fetches(BREAST_CANCER, 1)).isEqualTo(1);
        }
    }

    @Test
    void prime_convertedModels_tabularOnesRunAndTensorOnesLoaded() {
        try (ConvertedModelsFixture fixture = new ConvertedModelsFixture()) {
            fixture.resolver.hot(ModelReference.champion(ConvertedModelsFixture.IRIS))
                    .hot(ModelReference.champion(ConvertedModelsFixture.WINE))
                    .hot(ModelReference.champion(ConvertedModelsFixture.TORCH_TWO));

            List<PrimeOutcome> outcomes = fixture.predict.function.prime();

            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(PrimeOutcome.Primed.class));
            assertThat(fixture.predict.sessions.size()).isEqualTo(3);
            assertThat(fixture.resolver.fetches(ConvertedModelsFixture.TORCH_TWO, 1)).isEqualTo(1);
        }
    }
}
