package io.capstan.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void toJson_fromJson_roundTripsEveryPart() {
        Provenance provenance = new Provenance("ab12", "run1",
                List.of(new Provenance.DatasetPart("breast_cancer", "9f3c", "s3://datasets/bc.csv", "s3")),
                new Provenance.TrainerPart("logistic-regression", Map.of("epochs", "20", "seed", "42"), "42"),
                new Provenance.CodePart("0123abc", "0.1.0"),
                new Provenance.RuntimePart("17.0.15", "Linux", "amd64", "1.29.0", "Tribuo 4.3.2"),
                Map.of("accuracy", 0.98, "log_loss", Double.NaN));

        Provenance read = Provenance.fromJson(provenance.toJsonString());

        assertThat(read).isEqualTo(provenance);
        assertThat(read.metrics().get("log_loss")).isNaN();
    }

    @Test
    void fromJson_olderVersionWithoutParts_readsUnknown() {
        Provenance read = Provenance.fromJson("{\"model_sha256\": \"ab12\"}");

        assertThat(read.modelSha256()).isEqualTo("ab12");
        assertThat(read.sourceRunId()).isEqualTo(Provenance.UNKNOWN_VALUE);
        assertThat(read.trainer().algorithm()).isEqualTo(Provenance.UNKNOWN_VALUE);
        assertThat(read.code().commit()).isEqualTo(Provenance.UNKNOWN_VALUE);
        assertThat(read.runtime().onnxRuntime()).isEqualTo(Provenance.UNKNOWN_VALUE);
        assertThat(read.datasets()).isEmpty();
    }

    @Test
    void fromJson_unknownKeysFromALaterRelease_areIgnored() {
        Provenance read = Provenance.fromJson("{\"model_sha256\": \"ab12\", \"hardware\": {\"gpu\": \"A10G\"}}");

        assertThat(read.modelSha256()).isEqualTo("ab12");
    }
}
