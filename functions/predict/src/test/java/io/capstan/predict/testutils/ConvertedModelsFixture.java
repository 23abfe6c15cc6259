package io.capstan.predict.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.input.InputLimits;

/**
 * The converter fixtures ({@link OnnxFixtures}) in an in-memory registry, served by a {@link PredictFixture}: each as
 * version 1 of a model named below, the tabular ones with the card the registry derives, the others on the tensor path.
 */
public final class ConvertedModelsFixture implements AutoCloseable {
    /** skl2onnx iris, ZipMap probabilities and int64 labels, column signature: tabular. */
    public static final String IRIS = "iris-zipmap";
    /** skl2onnx iris on string labels, probability matrix, logged with the iris columns' signature: tabular. */
    public static final String IRIS_STRINGS = "iris-strings";
    /** The same model as logged, with its tensor signature: the tensor path (no card), as the registry serves it. */
    public static final String IRIS_STRINGS_TENSORS = "iris-strings-tensors";
    /** skl2onnx wine regressor: tabular regression. */
    public static final String WINE = "wine";
    /** onnxmltools-style tree ensemble: tabular, {@code label} and {@code probabilities} [N, 2]. */
    public static final String TREES = "xgboost";
    /** torch.onnx, two named inputs and two outputs, tensor signature. */
    public static final String TORCH_TWO = "torch-two";
    /** torch.onnx image model logged without a signature. */
    public static final String TORCH_IMAGE = "torch-image";
    /** The image model as a bare ONNX file (flavor ONNX). */
    public static final String TORCH_IMAGE_BARE = "torch-image-bare";
    /** skl2onnx per-column inputs (two float columns and a string one), column signature: tensor path. */
    public static final String MIXED = "mixed";

    public final OnnxFixture iris = OnnxFixtures.load("sklearn-iris-zipmap");
    public final OnnxFixture irisStrings = OnnxFixtures.load("sklearn-iris-strings-nozipmap");
    public final OnnxFixture wine = OnnxFixtures.load("sklearn-wine-regressor");
    public final OnnxFixture trees = OnnxFixtures.load("xgboost-breast-cancer");
    public final OnnxFixture torchTwo = OnnxFixtures.load("torch-two-inputs");
    public final OnnxFixture torchImage = OnnxFixtures.load("torch-image");
    public final OnnxFixture mixed = OnnxFixtures.load("sklearn-mixed-columns");
    public final InMemoryModelResolver resolver = new InMemoryModelResolver()
            .register(IRIS, 1, iris.manifest(OnnxFixtures.irisZipmapCard()), iris.onnx())
            .register(IRIS_STRINGS, 1, irisStrings.manifest(OnnxFixtures.irisStringsCard(), iris.signature()),
                    irisStrings.onnx())
            .register(IRIS_STRINGS_TENSORS, 1, irisStrings.manifest(null), irisStrings.onnx())
            .register(WINE, 1, wine.manifest(OnnxFixtures.wineCard(wine.columns())), wine.onnx())
            .register(TREES, 1, trees.manifest(OnnxFixtures.xgboostCard(trees.columns())), trees.onnx())
            .register(TORCH_TWO, 1, torchTwo.manifest(null), torchTwo.onnx())
            .register(TORCH_IMAGE, 1, torchImage.manifest(null), torchImage.onnx())
            .register(TORCH_IMAGE_BARE, 1, torchImage.bareOnnxManifest(), torchImage.onnx())
            .register(MIXED, 1, mixed.manifest(null), mixed.onnx());
    /** The function serving them; its resolver is {@link #resolver}. */
    public final PredictFixture predict;

    public ConvertedModelsFixture() {
        this(InputLimits.defaults());
    }

    public ConvertedModelsFixture(InputLimits limits) {
        predict = new PredictFixture(resolver, limits, TrafficCapture.off());
    }

    public HttpResponse call(HttpRequest request) {
        return predict.call(request);
    }

    /** {@code /invocations} of {@code model} with {@code body}, which must answer 200: its {@code predictions}. */
    public JsonNode predictions(String model, JsonNode body) {
        HttpResponse response = call(Requests.post("/models/" + model + "/invocations", Requests.text(body)));
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return Requests.json(response).get("predictions");
    }

    @Override
    public void close() {
        predict.close();
    }
}
