package io.capstan.trainer.internal;

import java.util.Locale;
import java.util.Map;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.liblinear.LinearClassificationType.LinearType;
import org.tribuo.classification.libsvm.LibSVMClassificationTrainer;
import org.tribuo.classification.libsvm.SVMClassificationType;
import org.tribuo.classification.libsvm.SVMClassificationType.SVMMode;
import org.tribuo.classification.sgd.LabelObjective;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * Builds the Tribuo trainer for a job's hyperparameters. A trainer keeps an RNG that advances with every call to
 * {@code train}, so each training gets a fresh one: the same seed then gives the same model.
 */
public final class TribuoTrainers {

    /**
     * The LibLinear solvers whose Tribuo 4.3.2 ONNX export reproduces the trained model, by hyperparameter value
     * (LibLinear's names in lower case). Left out: the logistic-regression solvers (the export applies a softmax,
     * LibLinear normalizes one-vs-rest sigmoids, so probabilities differ by up to 0.24) and {@code mcsvm_cs} (the
     * export fails on two classes).
     */
    public static final Map<String, LinearType> LIBLINEAR_SOLVERS = Map.of(
            "l2r_l2loss_svc_dual", LinearType.L2R_L2LOSS_SVC_DUAL,
            "l2r_l2loss_svc", LinearType.L2R_L2LOSS_SVC,
            "l2r_l1loss_svc_dual", LinearType.L2R_L1LOSS_SVC_DUAL,
            "l1r_l2loss_svc", LinearType.L1R_L2LOSS_SVC);

    // Tribuo logs every loggingInterval examples through java.util.logging; -1 turns that off
    private static final int NO_LOGGING = -1;

    private TribuoTrainers() {
    }

    /**
     * A new trainer for the job's algorithm.
     *
     * @param epochs       epochs for algorithms that train in epochs (ignored by the others)
     * @param featureCount the number of input features, for LibSVM's automatic gamma
     */
    public static Trainer<Label> create(HyperParameters hyperParameters, int epochs, int featureCount) {
        long seed = hyperParameters.seed();
        return switch (hyperParameters.algorithm()) {
            case LOGISTIC_REGRESSION -> linearSgd(hyperParameters, new LogMulticlass(), epochs);
            case LINEAR_SVM -> linearSgd(hyperParameters, new Hinge(), epochs);
            case FACTORIZATION_MACHINE -> new FMClassificationTrainer(new LogMulticlass(),
                    adaGrad(hyperParameters), epochs, NO_LOGGING, hyperParameters.get("minibatch_size", Integer.class),
                    seed, hyperParameters.get("factor_size", Integer.class),
                    hyperParameters.get("factor_variance", Double.class));
            case BAGGING -> new BaggingTrainer<>(linearSgd(hyperParameters, new LogMulticlass(), epochs),
                    new FullyWeightedVotingCombiner(), hyperParameters.get("ensemble_size", Integer.class), seed);
            case LIBLINEAR -> new LibLinearClassificationTrainer(
                    new LinearClassificationType(LIBLINEAR_SOLVERS.get(hyperParameters.get("solver", String.class))),
                    hyperParameters.get("cost", Double.class), hyperParameters.get("max_iterations", Integer.class),
                    hyperParameters.get("tolerance", Double.class), seed);
            case LIBSVM -> new LibSVMClassificationTrainer(svmParameters(hyperParameters, featureCount), seed);
        };
    }

    /** LibSVM's kernel gamma as used: the hyperparameter, or 1 / number of features for {@code auto}. */
    public static double libSvmGamma(HyperParameters hyperParameters, int featureCount) {
        Object gamma = hyperParameters.get("gamma", Object.class);
        return gamma instanceof Double value ? value : 1.0 / featureCount;
    }

    private static LinearSGDTrainer linearSgd(HyperParameters hyperParameters, LabelObjective objective, int epochs) {
        return new LinearSGDTrainer(objective, adaGrad(hyperParameters), epochs, NO_LOGGING,
                hyperParameters.get("minibatch_size", Integer.class), hyperParameters.seed());
    }

    private static AdaGrad adaGrad(HyperParameters hyperParameters) {
        return new AdaGrad(hyperParameters.get("learning_rate", Double.class),
                hyperParameters.get("adagrad_epsilon", Double.class));
    }

    private static SVMParameters<Label> svmParameters(HyperParameters hyperParameters, int featureCount) {
        KernelType kernel = KernelType.valueOf(hyperParameters.get("kernel", String.class)
                .toUpperCase(Locale.ROOT));
        SVMParameters<Label> parameters = new SVMParameters<>(new SVMClassificationType(SVMMode.C_SVC), kernel);
        parameters.setCost(hyperParameters.get("cost", Double.class));
        // SVMParameters.setEpsilon sets epsilon-SVR's p, not the stopping tolerance, so set eps directly
        parameters.getParameters().eps = hyperParameters.get("tolerance", Double.class);
        parameters.setGamma(libSvmGamma(hyperParameters, featureCount));
        parameters.setDegree(hyperParameters.get("degree", Integer.class));
        parameters.setCoeff(hyperParameters.get("coef0", Double.class));
        // probability estimates (Platt scaling), so the ONNX output and Tribuo's scores are probabilities
        parameters.setProbability();
        return parameters;
    }
}
