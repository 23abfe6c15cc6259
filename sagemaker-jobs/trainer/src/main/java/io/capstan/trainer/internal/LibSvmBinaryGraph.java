package io.capstan.trainer.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import libsvm.svm_model;
import libsvm.svm_node;
import org.tribuo.classification.libsvm.LibSVMClassificationModel;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The ONNX graph of a two-class LibSVM model with probability estimates, in place of Tribuo's. Tribuo hands the
 * Platt parameters to {@code SVMClassifier}, and ONNX Runtime then couples the two pairwise probabilities with
 * LibSVM's iterative {@code multiclass_probability}, which stops at an error of 0.005 / k: for two classes its
 * probabilities differ from LibSVM's (which takes the Platt probability directly) by up to 2.5e-3. This graph keeps
 * Tribuo's {@code SVMClassifier} node for the decision value and computes LibSVM's two-class probability itself:
 * {@code p = sigmoid(-(A x decision + B))} for LibSVM's first label, {@code 1 - p} for the second.
 */
final class LibSvmBinaryGraph {

    private LibSvmBinaryGraph() {
    }

    /** Whether {@code model} is the case this graph replaces. */
    static boolean appliesTo(LibSVMClassificationModel model) {
        svm_model inner = model.getInnerModels().get(0);
        return model.generatesProbabilities() && inner.nr_class == 2;
    }

    static ONNXNode write(LibSVMClassificationModel model, ONNXRef<?> input) {
        ONNXContext onnx = input.onnxContext();
        svm_model svm = model.getInnerModels().get(0);
        int featureCount = model.getFeatureIDMap().size();

        // the decision function, attribute for attribute as Tribuo 4.3.2 writes it, without the Platt parameters
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("classlabels_ints", svm.label);
        float[] coefficients = new float[svm.l];
        for (int j = 0; j < svm.l; j++) {
            coefficients[j] = (float) svm.sv_coef[0][j];
        }
        attributes.put("coefficients", coefficients);
        attributes.put("kernel_params", new float[]{(float) svm.param.gamma, (float) svm.param.coef0,
                svm.param.degree});
        attributes.put("kernel_type", KernelType.getKernelType(svm.param.kernel_type).name());
        attributes.put("rho", new float[]{(float) -svm.rho[0]});
        float[] supportVectors = new float[svm.l * featureCount];
        for (int j = 0; j < svm.l; j++) {
            for (svm_node node : svm.SV[j]) {
                supportVectors[j * featureCount + node.index] = (float) node.value;
            }
        }
        attributes.put("support_vectors", supportVectors);
        attributes.put("vectors_per_class", Arrays.copyOf(svm.nSV, svm.label.length));
        ONNXNode scores = input.apply(ONNXOperators.SVM_CLASSIFIER, List.of("svm_label", "svm_scores"), attributes)
                .get(1);

        // ONNX Runtime's two-class score is the negated LibSVM decision value (Tribuo negates it too)
        ONNXNode decision = scores
                .apply(ONNXOperators.ARRAY_FEATURE_EXTRACTOR, onnx.constant("svm_decision_index", 0L))
                .apply(ONNXOperators.MUL, onnx.constant("minus_one", -1.0f));
        ONNXNode first = decision
                .apply(ONNXOperators.MUL, onnx.constant("platt_a", (float) svm.probA[0]))
                .apply(ONNXOperators.ADD, onnx.constant("platt_b", (float) svm.probB[0]))
                .apply(ONNXOperators.NEG)
                .apply(ONNXOperators.SIGMOID);
        ONNXInitializer one = onnx.constant("one", 1.0f);
        ONNXNode second = one.apply(ONNXOperators.SUB, first);
        ONNXNode libSvmOrder = onnx.operation(ONNXOperators.CONCAT, List.of(first, second), "svm_probabilities",
                Map.of("axis", 1));

        // LibSVM's label order to Tribuo's output ids
        int[] toTribuo = new int[svm.label.length];
        for (int i = 0; i < svm.label.length; i++) {
            toTribuo[svm.label[i]] = i;
        }
        return libSvmOrder.apply(ONNXOperators.GATHER, onnx.array("svm_label_order", toTribuo), Map.of("axis", 1));
    }
}
