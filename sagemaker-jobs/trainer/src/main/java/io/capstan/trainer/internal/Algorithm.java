package io.capstan.trainer.internal;

import io.capstan.error.CapstanException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The classifiers the trainer can fit; each yields a Tribuo model that exports to ONNX. */
public enum Algorithm {
    /** LinearSGD with LogMulticlass and AdaGrad. */
    LOGISTIC_REGRESSION("logistic-regression", true),
    /** LinearSGD with the hinge loss and AdaGrad; scores go through a softmax. */
    LINEAR_SVM("linear-svm", true),
    /** A factorization machine with LogMulticlass and AdaGrad. */
    FACTORIZATION_MACHINE("factorization-machine", true),
    /** LibLinear's SVM solvers; scores go through a softmax. */
    LIBLINEAR("liblinear", false),
    /** LibSVM C-SVC with probability estimates. */
    LIBSVM("libsvm", false),
    /** Bagged logistic regressions, probabilities averaged. */
    BAGGING("bagging", true);

    private final String id;
    private final boolean epochBased;

    Algorithm(String id, boolean epochBased) {
        this.id = id;
        this.epochBased = epochBased;
    }

    /** The name the {@code algorithm} hyperparameter takes. */
    public String id() {
        return id;
    }

    /** Whether the algorithm trains in epochs (and so has a per-epoch history). */
    public boolean epochBased() {
        return epochBased;
    }

    static Algorithm parse(String name, String text) {
        for (Algorithm algorithm : values()) {
            if (algorithm.id.equals(text)) {
                return algorithm;
            }
        }
        throw CapstanException.invalidParameter("hyperparameter '" + name + "' must be one of " + ids()
                + "; got '" + text + "'");
    }

    static String ids() {
        return Arrays.stream(values()).map(Algorithm::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
