package io.capstan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCardTest {

    private static final ModelCard CARD = ModelCard.classifier("input", List.of("radius", "texture"), "output",
            List.of("malignant", "benign"), "label");

    @Test
    void toJson_fromJson_roundTrips() {
        byte[] json = CARD.toJson();

        assertThat(ModelCard.fromJson(json)).isEqualTo(CARD);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"task\" : \"classification\"",
                "\"input_type\" : \"float\"");
    }

    @Test
    void featureIndex_knownAndUnknown_givesPositionOrMinusOne() {
        assertThat(CARD.featureIndex("texture")).isEqualTo(1);
        assertThat(CARD.featureIndex("area")).isEqualTo(-1);
    }

    @Test
    void fromJson_missingField_namesIt() {
        String json = "{\"task\": \"classification\", \"input_tensor\": \"input\", \"features\": [\"a\"],"
                + " \"output_labels\": [\"x\", \"y\"]}";

        assertThatThrownBy(() -> ModelCard.fromJson(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidModelCardException.class).hasMessageContaining("'output_tensor'");
    }

    @Test
    void fromJson_notJson_saysSo() {
        assertThatThrownBy(() -> ModelCard.fromJson("{nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidModelCardException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void fromJson_unknownTaskOrType_listsAllowedValues() {
        String badTask = "{\"task\": \"ranking\", \"input_tensor\": \"i\", \"features\": [\"a\"],"
                + " \"output_tensor\": \"o\", \"output_labels\": [\"x\"]}";
        String badType = "{\"task\": \"regression\", \"input_tensor\": \"i\", \"input_type\": \"string\","
                + " \"features\": [\"a\"], \"output_tensor\": \"o\", \"output_labels\": [\"x\"]}";

        assertThatThrownBy(() -> ModelCard.fromJson(badTask.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("'classification' or 'regression'");
        assertThatThrownBy(() -> ModelCard.fromJson(badType.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("float, double, int64");
    }

    @Test
    void constructor_duplicateFeature_isRefused() {
        assertThatThrownBy(() -> ModelCard.classifier("input", List.of("a", "a"), "output", List.of("x", "y"), null))
                .isInstanceOf(InvalidModelCardException.class).hasMessageContaining("'a' twice");
    }

    @Test
    void constructor_regressionWithTwoLabels_isRefused() {
        assertThatThrownBy(() -> new ModelCard(1, ModelCard.Task.REGRESSION, "i", ModelCard.TensorType.FLOAT,
                List.of("a"), "o", List.of("y1", "y2"), null))
                .hasMessageContaining("exactly one output label");
    }

    @Test
    void constructor_futureFormatVersion_isRefused() {
        assertThatThrownBy(() -> new ModelCard(ModelCard.FORMAT_VERSION + 1, ModelCard.Task.CLASSIFICATION, "i",
                ModelCard.TensorType.FLOAT, List.of("a"), "o", List.of("x"), null))
                .hasMessageContaining("format_version");
    }
}
