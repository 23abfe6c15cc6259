package io.capstan.drift;

/**
 * A drift test, with Evidently's name and default threshold. A p-value test flags drift when its p-value is
 * below the threshold (KS: at or below, as Evidently); a distance flags drift when it is at or above it.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov-Smirnov, p-value exactly as SciPy's {@code ks_2samp} (auto, two-sided). */
    KS("ks", true, 0.05),
    /** Wasserstein-1 distance over the reference's population std (Evidently's {@code wasserstein}). */
    WASSERSTEIN("wasserstein", false, 0.1),
    /** Population stability index on the reference's decile bins (numeric) or categories. */
    PSI("psi", false, 0.1),
    /** Jensen-Shannon distance, natural log (Evidently's {@code jensenshannon}). */
    JENSEN_SHANNON("jensenshannon", false, 0.1),
    /** Chi-square goodness of fit of current counts to reference proportions (Evidently's {@code chisquare}). */
    CHI_SQUARE("chisquare", true, 0.05),
    /** Two-proportion z-test for a binary column (Evidently's {@code z}). */
    Z_TEST("z", true, 0.05);

    private final String wireName;
    private final boolean pValueTest;
    private final double defaultThreshold;

    DriftMethod(String wireName, boolean pValueTest, double defaultThreshold) {
        this.wireName = wireName;
        this.pValueTest = pValueTest;
        this.defaultThreshold = defaultThreshold;
    }

    /** Evidently's stattest name, used in JSON and on the command line. */
    public String wireName() {
        return wireName;
    }

    /** Whether the threshold applies to a p-value (else to a distance). */
    public boolean pValueTest() {
        return pValueTest;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether {@code value} (the p-value or the distance) means drift at {@code threshold}. */
    public boolean drifts(double value, double threshold) {
        if (Double.isNaN(value)) {
            return false;
        }
        return switch (this) {
            case KS -> value <= threshold;
            case CHI_SQUARE, Z_TEST -> value < threshold;
            default -> value >= threshold;
        };
    }

    /**
     * The method of this wire name.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static DriftMethod fromWireName(String name) {
        for (DriftMethod m : values()) {
            if (m.wireName.equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown drift method '" + name + "': use one of ks, wasserstein, psi,"
                + " jensenshannon, chisquare, z.");
    }
}
