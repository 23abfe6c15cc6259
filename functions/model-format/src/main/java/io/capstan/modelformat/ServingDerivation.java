package io.capstan.modelformat;

import io.capstan.model.GraphValue;
import io.capstan.model.ModelCard;
import io.capstan.model.ModelSignature;
import io.capstan.model.OnnxGraph;
import io.capstan.model.ServingManifest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides how an ONNX model is served from what it declares: its graph, its MLflow signature, a Capstan card.
 *
 * <p>A model that takes one row of named numeric columns in a single {@code [rows, columns]} tensor and answers a class
 * (a probability matrix or ZipMap, with or without a label output, classes named by its classical-ML operators) or a
 * value ({@code [rows]} or {@code [rows, 1]}) gets a {@link ModelCard}: the predict function's tabular path, with traffic
 * capture. Any other model whose inputs and outputs are tensors (or ZipMap outputs) is served as named tensors, as
 * MLflow's ONNX flavor serves it. A signature that contradicts the graph (another column count, an input the graph does
 * not have, another rank) makes the model something it claims not to be: a {@link Contradiction}, which fails
 * registration.
 */
public final class ServingDerivation {
    private static final Set<String> FEEDABLE = Set.of("float", "double", "int8", "uint8", "int16", "int32", "int64",
            "bool", "string");
    private static final Set<String> TABULAR_INPUTS = Set.of("float", "double");
    private static final Set<String> NUMERIC_COLUMNS = Set.of("double", "float", "long", "integer");

    private ServingDerivation() {
    }

    /** What the derivation concluded. */
    public sealed interface Derivation permits Servable, NotServable, Contradiction {
    }

    /** The model can be served as the manifest says. */
    public record Servable(ServingManifest manifest) implements Derivation {
        public Servable {
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    /** A sound model Capstan cannot serve; the reason says what it is and what to do. */
    public record NotServable(String reason) implements Derivation {
    }

    /** The model contradicts its own signature or card; the reason names both sides. */
    public record Contradiction(String reason) implements Derivation {
    }

    /**
     * Derives the manifest of an MLflow model folder whose {@code onnx} flavor points at {@code onnx}, or of a bare ONNX
     * file ({@code mlModel} null).
     *
     * @param modelFile the ONNX file's name in the registry's copy
     * @param sha256    the ONNX file's SHA-256
     */
    public static Derivation derive(MlModel mlModel, OnnxModelFile onnx, String modelFile, String sha256) {
        OnnxGraph graph = onnx.graph();
        Optional<String> unfeedable = unfeedable(graph);
        if (unfeedable.isPresent()) {
            return new NotServable(unfeedable.get());
        }
        ModelSignature signature = mlModel == null ? null : mlModel.signature();
        if (signature != null) {
            Optional<String> contradiction = contradiction(signature, graph);
            if (contradiction.isPresent()) {
                return new Contradiction(contradiction.get());
            }
        }
        ServingManifest.Flavor flavor = mlModel == null ? ServingManifest.Flavor.ONNX
                : ServingManifest.Flavor.MLFLOW_ONNX;
        ModelCard card = tabularCard(signature, onnx).orElse(null);
        return new Servable(new ServingManifest(ServingManifest.FORMAT_VERSION, flavor, modelFile, sha256, card, graph,
                signature));
    }

    /** The manifest of a model from Capstan's trainer, which the card describes (checked against the graph apart). */
    public static Derivation fromCard(ModelCard card, OnnxModelFile onnx, String modelFile, String sha256) {
        return new Servable(new ServingManifest(ServingManifest.FORMAT_VERSION, ServingManifest.Flavor.CAPSTAN,
                modelFile, sha256, card, onnx.graph(), null));
    }

    private static Optional<String> unfeedable(OnnxGraph graph) {
        if (graph.inputs().isEmpty()) {
            return Optional.of("the ONNX graph takes no inputs, so there is nothing a request could feed it");
        }
        for (GraphValue input : graph.inputs()) {
            if (input.kind() != GraphValue.Kind.TENSOR) {
                return Optional.of("the ONNX graph's input '" + input.name() + "' is a " + input.kind().name()
                        .toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", not a tensor; Capstan feeds"
                        + " tensors, as MLflow's ONNX flavor does");
            }
            if (!FEEDABLE.contains(input.elementType())) {
                return Optional.of("the ONNX graph's input '" + input.name() + "' holds " + input.elementType()
                        + " values; Capstan feeds " + String.join(", ", FEEDABLE.stream().sorted().toList())
                        + " tensors");
            }
        }
        for (GraphValue output : graph.outputs()) {
            if (output.kind() == GraphValue.Kind.OTHER) {
                return Optional.of("the ONNX graph's output '" + output.name() + "' is a " + output.elementType()
                        + " value; Capstan answers tensors and sequences of maps (ZipMap)");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> contradiction(ModelSignature signature, OnnxGraph graph) {
        List<ModelSignature.Spec> specs = signature.inputs();
        if (specs.isEmpty()) {
            return Optional.empty();
        }
        List<GraphValue> inputs = graph.inputs();
        if (signature.inputsAreTensors()) {
            if (specs.size() != inputs.size()) {
                return Optional.of("the signature lists " + specs.size() + " input tensor(s) but the ONNX graph takes "
                        + inputs.size() + " " + graph.inputNames());
            }
            for (int i = 0; i < specs.size(); i++) {
                ModelSignature.Spec spec = specs.get(i);
                GraphValue input = spec.name() == null ? inputs.get(i) : graph.input(spec.name()).orElse(null);
                if (input == null) {
                    return Optional.of("the signature's input tensor '" + spec.name() + "' is not an input of the ONNX"
                            + " graph, which takes " + graph.inputNames());
                }
                Optional<String> shape = shapeContradiction(spec.shape(), input);
                if (shape.isPresent()) {
                    return shape;
                }
            }
            return Optional.empty();
        }
        if (inputs.size() == 1) {
            GraphValue input = inputs.get(0);
            if (input.rank() == 2 && input.dim(1) >= 0 && input.dim(1) != specs.size()) {
                return Optional.of("the signature lists " + specs.size() + " input columns but the ONNX graph's"
                        + " input '" + input.name() + "' has shape " + input.shape() + ", " + input.dim(1)
                        + " values per row");
            }
            return Optional.empty();
        }
        for (GraphValue input : inputs) {
            if (signature.input(input.name()).isEmpty()) {
                return Optional.of("the ONNX graph's input '" + input.name() + "' has no column of that name in the"
                        + " signature, whose columns are " + specs.stream().map(ModelSignature.Spec::name).toList()
                        + "; MLflow feeds each input the column of its name");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> shapeContradiction(List<Long> declared, GraphValue input) {
        if (input.shape().isEmpty() || declared.isEmpty()) {
            return Optional.empty();
        }
        if (declared.size() != input.rank()) {
            return Optional.of("the signature gives input '" + input.name() + "' shape " + declared + " but the ONNX"
                    + " graph's input has shape " + input.shape() + " (rank " + input.rank() + ")");
        }
        for (int d = 0; d < declared.size(); d++) {
            long a = declared.get(d);
            long b = input.dim(d);
            if (a >= 0 && b >= 0 && a != b) {
                return Optional.of("the signature gives input '" + input.name() + "' shape " + declared + " but the"
                        + " ONNX graph's input has shape " + input.shape());
            }
        }
        return Optional.empty();
    }

    /** A card for the tabular path, when the model is one; empty when it is served as tensors. */
    private static Optional<ModelCard> tabularCard(ModelSignature signature, OnnxModelFile onnx) {
        OnnxGraph graph = onnx.graph();
        if (signature == null || !signature.inputsAreNamedColumns() || graph.inputs().size() != 1) {
            return Optional.empty();
        }
        GraphValue input = graph.inputs().get(0);
        List<String> columns = signature.inputs().stream().map(ModelSignature.Spec::name).toList();
        boolean numericColumns = signature.inputs().stream().allMatch(s -> NUMERIC_COLUMNS.contains(s.type()));
        if (!numericColumns || input.rank() != 2 || !TABULAR_INPUTS.contains(input.elementType())
                || columns.stream().distinct().count() != columns.size()) {
            return Optional.empty();
        }
        ModelCard.TensorType inputType = input.elementType().equals("double") ? ModelCard.TensorType.DOUBLE
                : ModelCard.TensorType.FLOAT;
        Optional<ModelCard> classifier = classifierCard(onnx, input, inputType, columns);
        if (classifier.isPresent()) {
            return classifier;
        }
        return regressorCard(graph, input, inputType, columns);
    }

    private static Optional<ModelCard> classifierCard(OnnxModelFile onnx, GraphValue input,
                                                      ModelCard.TensorType inputType, List<String> columns) {
        List<String> labels = onnx.classLabels();
        if (onnx.kind() != OnnxModelFile.Kind.CLASSIFIER || labels.isEmpty()
                || labels.stream().distinct().count() != labels.size()) {
            return Optional.empty();
        }
        GraphValue probabilities = null;
        GraphValue label = null;
        for (GraphValue output : onnx.graph().outputs()) {
            if (output.kind() == GraphValue.Kind.SEQUENCE_OF_MAPS && output.elementType().equals("float")
                    && probabilities == null) {
                probabilities = output;
            } else if (isProbabilityMatrix(output, labels.size()) && probabilities == null) {
                probabilities = output;
            } else if (isLabelVector(output) && label == null) {
                label = output;
            } else {
                return Optional.empty();
            }
        }
        if (probabilities == null) {
            return Optional.empty();
        }
        ModelCard.ProbabilityLayout layout = probabilities.kind() == GraphValue.Kind.SEQUENCE_OF_MAPS
                ? ModelCard.ProbabilityLayout.ZIPMAP : ModelCard.ProbabilityLayout.MATRIX;
        return Optional.of(new ModelCard(ModelCard.FORMAT_VERSION, ModelCard.Task.CLASSIFICATION, input.name(),
                inputType, columns, probabilities.name(), labels, null, label == null ? null : label.name(), layout));
    }

    private static Optional<ModelCard> regressorCard(OnnxGraph graph, GraphValue input, ModelCard.TensorType inputType,
                                                     List<String> columns) {
        if (graph.outputs().size() != 1) {
            return Optional.empty();
        }
        GraphValue output = graph.outputs().get(0);
        boolean values = output.kind() == GraphValue.Kind.TENSOR
                && (output.elementType().equals("float") || output.elementType().equals("double"))
                && (output.rank() == 1 || (output.rank() == 2 && output.dim(1) == 1));
        if (!values) {
            return Optional.empty();
        }
        return Optional.of(new ModelCard(ModelCard.FORMAT_VERSION, ModelCard.Task.REGRESSION, input.name(), inputType,
                columns, output.name(), List.of(output.name()), null, null, ModelCard.ProbabilityLayout.MATRIX));
    }

    private static boolean isProbabilityMatrix(GraphValue output, int labels) {
        return output.kind() == GraphValue.Kind.TENSOR && output.elementType().equals("float") && output.rank() == 2
                && (output.dim(1) < 0 || output.dim(1) == labels);
    }

    private static boolean isLabelVector(GraphValue output) {
        return output.kind() == GraphValue.Kind.TENSOR
                && (output.elementType().equals("int64") || output.elementType().equals("string"))
                && (output.rank() == 1 || (output.rank() == 2 && output.dim(1) == 1));
    }
}
