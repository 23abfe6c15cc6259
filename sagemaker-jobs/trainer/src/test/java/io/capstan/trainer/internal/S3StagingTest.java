package io.capstan.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import org.junit.jupiter.api.Test;

/** URI parsing and key-to-path mapping; S3 itself is not exercised here. */
class S3StagingTest {

    @Test
    void parse_bucketAndPrefix_splitsThem() {
        assertThat(S3Location.parse("train_uri", "s3://my-bucket/datasets/iris/train"))
                .isEqualTo(new S3Location("my-bucket", "datasets/iris/train"));
        assertThat(S3Location.parse("train_uri", "s3://my.bucket-2/")).isEqualTo(new S3Location("my.bucket-2", ""));
        assertThat(S3Location.parse("train_uri", "s3://my-bucket")).isEqualTo(new S3Location("my-bucket", ""));
    }

    @Test
    void parse_notAnS3Uri_namesTheField() {
        assertThatThrownBy(() -> S3Location.parse("model_output_uri", "/tmp/model"))
                .isInstanceOf(CapstanException.class).hasMessageContaining("'model_output_uri'")
                .hasMessageContaining("'/tmp/model'").hasMessageContaining("s3://");
        assertThatThrownBy(() -> S3Location.parse("train_uri", "s3://Upper_Case/x"))
                .hasMessageContaining("'Upper_Case' is not a valid bucket name");
        assertThatThrownBy(() -> S3Location.parse("train_uri", "s3://b/x")).hasMessageContaining("bucket name");
        assertThatThrownBy(() -> S3Location.parse("train_uri", "s3://bucket//x")).hasMessageContaining("empty path");
    }

    @Test
    void keyFor_prefixAsFolder_joinsWithOneSlash() {
        assertThat(new S3Location("b", "runs/42").keyFor("model.onnx")).isEqualTo("runs/42/model.onnx");
        assertThat(new S3Location("b", "runs/42/").keyFor("model.onnx")).isEqualTo("runs/42/model.onnx");
        assertThat(new S3Location("b", "").keyFor("model.onnx")).isEqualTo("model.onnx");
    }

    @Test
    void relativePath_keysUnderThePrefix_keepTheirSubfolders() {
        S3Location folder = new S3Location("b", "data/train");

        assertThat(S3Staging.relativePath(folder, "data/train/part-1.csv")).isEqualTo("part-1.csv");
        assertThat(S3Staging.relativePath(folder, "data/train/2024/part-2.csv")).isEqualTo("2024/part-2.csv");
        assertThat(S3Staging.relativePath(new S3Location("b", "data/train/"), "data/train/a.csv")).isEqualTo("a.csv");
    }

    @Test
    void relativePath_singleObjectOrSibling_fileName() {
        assertThat(S3Staging.relativePath(new S3Location("b", "data/train.csv"), "data/train.csv"))
                .isEqualTo("train.csv");
        assertThat(S3Staging.relativePath(new S3Location("b", "data/train"), "data/train-2.csv"))
                .isEqualTo("train-2.csv");
    }
}
