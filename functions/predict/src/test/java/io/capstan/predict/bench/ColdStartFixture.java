package io.capstan.predict.bench;

import io.capstan.predict.testutils.LambdaTaskRoot;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prepares the whole-process cold start measurement in {@code <out>}: {@code task/} (the Lambda package unpacked as
 * Lambda unpacks it, plus this machine's ONNX Runtime natives when the package is for another architecture),
 * {@code model/} (the breast-cancer model and card) and {@code event.json} (an API Gateway HTTP API event scoring one
 * row through {@code POST /models/breast-cancer/invocations}).
 *
 * <p>Usage: {@code ColdStartFixture <lambda-package.jar> <out>}
 */
public final class ColdStartFixture {
    private ColdStartFixture() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]);
        Path task = Files.createDirectories(out.resolve("task"));
        LambdaTaskRoot.unpack(Path.of(args[0]), task);
        LambdaTaskRoot.writeModel(TrainedModels.breastCancer(), out.resolve("model"));
        Files.writeString(out.resolve("event.json"), LambdaTaskRoot.event("invocations.json",
                Requests.dataframeSplit(TrainedModels.breastCancer(), 1)));
        System.out.println("prepared " + out.toAbsolutePath());
    }
}
