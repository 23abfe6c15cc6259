package io.capstan.modelformat.testutils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixture models that {@code src/test/python/make_onnx_fixtures.py} writes: each an MLflow model folder
 * ({@code <fixture>/model/}) as skl2onnx, torch.onnx, onnxmltools or mlflow.sklearn leave it, with
 * {@code <fixture>/expected.json} holding rows and reference answers. Read from the class path, so that modules
 * depending on this module's test jar read the same files.
 */
public final class OnnxFixtures {
    public static final String ROOT = "onnx-models/";
    public static final List<String> SERVABLE = List.of("sklearn-iris-zipmap", "sklearn-iris-strings-nozipmap",
            "sklearn-wine-regressor", "xgboost-breast-cancer", "torch-two-inputs", "torch-image",
            "sklearn-mixed-columns");
    private static final List<String> MODEL_FILES = List.of("MLmodel", "model.onnx", "model.pkl", "conda.yaml",
            "python_env.yaml", "requirements.txt", "input_example.json");

    private OnnxFixtures() {
    }

    /** One file of a fixture's model folder. */
    public static byte[] file(String fixture, String name) {
        return resource(ROOT + fixture + "/model/" + name);
    }

    /** Every file of a fixture's model folder, by name. */
    public static Map<String, byte[]> modelFolder(String fixture) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : MODEL_FILES) {
            String path = ROOT + fixture + "/model/" + name;
            if (OnnxFixtures.class.getClassLoader().getResource(path) != null) {
                files.put(name, resource(path));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no fixture model folder " + fixture);
        }
        return files;
    }

    /** A fixture's {@code expected.json}. */
    public static byte[] expected(String fixture) {
        return resource(ROOT + fixture + "/expected.json");
    }

    private static byte[] resource(String path) {
        try (InputStream in = OnnxFixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture file " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
