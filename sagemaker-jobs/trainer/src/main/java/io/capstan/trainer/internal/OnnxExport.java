package io.capstan.trainer.internal;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.libsvm.LibSVMClassificationModel;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a trained model as one ONNX graph over RAW feature values:
 * {@code features [-1, F]} (card order) → {@code Sub(mean)} → {@code Div(scale)} → {@code Gather} into Tribuo's
 * feature order (sorted by name; omitted when it is already the card order) → the model's own graph, from
 * {@link ONNXExportable#writeONNXGraph} (for two-class LibSVM, {@link LibSvmBinaryGraph}) → {@code Softmax} when the model scores rather than gives probabilities →
 * {@code probabilities [-1, L]} in the model's output order. The ModelProto is built by
 * {@link ONNXExportable#buildModel}, as {@code saveONNXModel} does, so the model's Tribuo provenance is in the
 * {@code TRIBUO_PROVENANCE} metadata entry and its description in the doc string.
 */
public final class OnnxExport {

    public static final String INPUT = "features";
    public static final String OUTPUT = "probabilities";
    public static final String DOMAIN = "io.capstan.trainer";

    private static final String ML_DOMAIN = "ai.onnx.ml";

    private OnnxExport() {
    }

    /**
     * Builds the ONNX model.
     *
     * @param model        a trained model that implements {@link ONNXExportable}
     * @param features     the feature names in input order
     * @param scaling      the standardization the model was trained behind, in input order
     */
    public static OnnxMl.ModelProto build(Model<Label> model, List<String> features, Standardization scaling) {
        if (!(model instanceof ONNXExportable exportable)) {
            throw new IllegalStateException(model.getClass().getName() + " does not export to ONNX");
        }
        ONNXContext onnx = new ONNXContext();
        onnx.setName("capstan-" + model.getClass().getSimpleName());
        ONNXPlaceholder input = onnx.floatInput(INPUT, features.size());
        ONNXPlaceholder output = onnx.floatOutput(OUTPUT, model.getOutputIDInfo().size());

        ONNXInitializer mean = onnx.array("standardization_mean", scaling.means());
        ONNXInitializer scale = onnx.array("standardization_scale", scaling.scales());
        ONNXRef<?> modelInput = input.apply(ONNXOperators.SUB, mean).apply(ONNXOperators.DIV, scale);
        int[] order = tribuoOrder(model, features);
        if (!isIdentity(order)) {
            modelInput = modelInput.apply(ONNXOperators.GATHER, onnx.array("tribuo_feature_order", order),
                    Map.of("axis", 1));
        }
        ONNXNode scores = model instanceof LibSVMClassificationModel svm && LibSvmBinaryGraph.appliesTo(svm)
                ? LibSvmBinaryGraph.write(svm, modelInput)
                : exportable.writeONNXGraph(modelInput);
        if (!model.generatesProbabilities()) {
            scores = scores.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1));
        }
        scores.assignTo(output);
        return withMlOpset(ONNXExportable.buildModel(onnx, DOMAIN, 1, model));
    }

    // buildModel imports only the default domain; the LibSVM graphs also use ai.onnx.ml operators (version 1)
    private static OnnxMl.ModelProto withMlOpset(OnnxMl.ModelProto proto) {
        boolean usesMl = proto.getGraph().getNodeList().stream().anyMatch(node -> ML_DOMAIN.equals(node.getDomain()));
        boolean imported = proto.getOpsetImportList().stream().anyMatch(opset -> ML_DOMAIN.equals(opset.getDomain()));
        if (!usesMl || imported) {
            return proto;
        }
        return proto.toBuilder()
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(1))
                .build();
    }

    /** Builds the model and writes it to {@code path}. */
    public static void write(Model<Label> model, List<String> features, Standardization scaling, Path path)
            throws IOException {
        OnnxMl.ModelProto proto = build(model, features, scaling);
        try (OutputStream out = Files.newOutputStream(path)) {
            proto.writeTo(out);
        }
    }

    /** For each of Tribuo's feature ids, the position of that feature in the input. */
    private static int[] tribuoOrder(Model<Label> model, List<String> features) {
        if (model.getFeatureIDMap().size() != features.size()) {
            throw new IllegalStateException("the model knows " + model.getFeatureIDMap().size() + " features but "
                    + features.size() + " were given");
        }
        int[] order = new int[features.size()];
        for (int id = 0; id < order.length; id++) {
            String name = model.getFeatureIDMap().get(id).getName();
            order[id] = features.indexOf(name);
            if (order[id] < 0) {
                throw new IllegalStateException("the model's feature '" + name + "' is not an input column");
            }
        }
        return order;
    }

    private static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }
}
