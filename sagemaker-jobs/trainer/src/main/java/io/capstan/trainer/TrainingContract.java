package io.capstan.trainer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a training job finds its inputs and puts its outputs, following the SageMaker training container
 * contract: a root ({@code /opt/ml} by default) holding {@code input/config/hyperparameters.json},
 * {@code input/data/<channel>/}, {@code model/} and {@code output/}, each of which an {@code SM_*} variable may move.
 *
 * @param root                    the contract root; {@code /opt/ml} unless moved for a local run
 * @param hyperparametersFile     {@code <root>/input/config/hyperparameters.json}; it may be absent (all defaults)
 * @param hyperparametersJson     the hyperparameters as JSON from {@code SM_HPS}, which replaces the file; null when unset
 * @param trainChannel            the required {@code train} channel directory ({@code SM_CHANNEL_TRAIN})
 * @param validationChannel       the optional {@code validation} channel directory ({@code SM_CHANNEL_VALIDATION})
 * @param modelDir                where the model and its reports go ({@code SM_MODEL_DIR})
 * @param outputDir               where the {@code failure} file goes ({@code SM_OUTPUT_DIR})
 * @param outputDataDir           extra outputs ({@code SM_OUTPUT_DATA_DIR}); the trainer writes a copy of {@code metrics.json}
 * @param environmentHyperparameters hyperparameters given as environment variables (Batch mode:
 *                                {@code CAPSTAN_TRAIN_URI}, {@code CAPSTAN_VALIDATION_URI}, {@code CAPSTAN_MODEL_OUTPUT_URI}),
 *                                by hyperparameter name; the hyperparameters JSON wins where both name one
 */
public record TrainingContract(Path root, Path hyperparametersFile, String hyperparametersJson, Path trainChannel,
                               Path validationChannel, Path modelDir, Path outputDir, Path outputDataDir,
                               Map<String, String> environmentHyperparameters) {

    /** The root SageMaker mounts. */
    public static final Path DEFAULT_ROOT = Path.of("/opt/ml");
    /** The variable that moves the root for local runs; {@code --ml-root} wins over it. */
    public static final String ROOT_VARIABLE = "CAPSTAN_ML_ROOT";
    /** The file SageMaker reads the failure reason from, inside {@link #outputDir()}. */
    public static final String FAILURE_FILE = "failure";

    private static final Map<String, String> URI_VARIABLES = Map.of(
            "CAPSTAN_TRAIN_URI", "train_uri",
            "CAPSTAN_VALIDATION_URI", "validation_uri",
            "CAPSTAN_MODEL_OUTPUT_URI", "model_output_uri");

    public TrainingContract {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(hyperparametersFile, "hyperparametersFile");
        Objects.requireNonNull(trainChannel, "trainChannel");
        Objects.requireNonNull(validationChannel, "validationChannel");
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(outputDataDir, "outputDataDir");
        environmentHyperparameters = Map.copyOf(environmentHyperparameters);
    }

    /**
     * Resolves the contract from the command line's root and the process environment.
     *
     * @param rootOption {@code --ml-root}, or null to use {@code CAPSTAN_ML_ROOT} or {@code /opt/ml}
     * @param env        the process environment; {@code SM_*} variables that are set and non-blank move their path
     */
    public static TrainingContract resolve(Path rootOption, Map<String, String> env) {
        Path root = rootOption != null ? rootOption
                : present(env, ROOT_VARIABLE) ? Path.of(env.get(ROOT_VARIABLE)) : DEFAULT_ROOT;
        Path output = path(env, "SM_OUTPUT_DIR", root.resolve("output"));
        Map<String, String> uris = new LinkedHashMap<>();
        URI_VARIABLES.forEach((variable, name) -> {
            if (present(env, variable)) {
                uris.put(name, env.get(variable).trim());
            }
        });
        return new TrainingContract(root,
                root.resolve("input/config/hyperparameters.json"),
                present(env, "SM_HPS") ? env.get("SM_HPS") : null,
                path(env, "SM_CHANNEL_TRAIN", root.resolve("input/data/train")),
                path(env, "SM_CHANNEL_VALIDATION", root.resolve("input/data/validation")),
                path(env, "SM_MODEL_DIR", root.resolve("model")),
                output,
                path(env, "SM_OUTPUT_DATA_DIR", output.resolve("data")),
                uris);
    }

    /** {@code <outputDir>/failure}. */
    public Path failureFile() {
        return outputDir.resolve(FAILURE_FILE);
    }

    private static Path path(Map<String, String> env, String variable, Path otherwise) {
        return present(env, variable) ? Path.of(env.get(variable)) : otherwise;
    }

    private static boolean present(Map<String, String> env, String variable) {
        String value = env.get(variable);
        return value != null && !value.isBlank();
    }
}
