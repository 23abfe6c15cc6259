package io.capstan.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.capstan.profile.internal.KllCodec;
import java.util.Arrays;
import java.util.Objects;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * A numeric column: moments, range, a KLL quantile sketch and, for a reference profile, the decile histogram.
 * Moments are over present values; {@code std} is the population standard deviation (numpy's {@code np.std},
 * ddof = 0). With no present value, mean, std, min and max are NaN.
 *
 * @param name column name
 * @param count present values
 * @param missing NaN values
 * @param distinct distinct present values; {@code null} for a profile made from sketches
 * @param mean arithmetic mean
 * @param std population standard deviation
 * @param min smallest value
 * @param max largest value
 * @param histogram counts on the reference deciles; {@code null} for a profile made from sketches
 * @param kll serialized KLL doubles sketch of the present values (base64 in JSON)
 * @param sampling how the values were sampled ({@link Sampling}; traffic capture samples the rows of large requests),
 *                 {@code null} when every value was folded (then omitted from JSON)
 */
public record NumericFeatureProfile(String name, long count, long missing, Long distinct, double mean, double std,
        double min, double max, Histogram histogram, byte[] kll, Sampling sampling) implements FeatureProfile {

    public NumericFeatureProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kll, "kll");
        kll = kll.clone();
        if (count < 0 || missing < 0) {
            throw new InvalidProfileException("Feature '" + name + "' has a negative count or missing count.");
        }
        if (histogram != null && histogram.total() != count) {
            throw new InvalidProfileException("Feature '" + name + "' histogram holds " + histogram.total()
                    + " values but count is " + count + ".");
        }
    }

    /** A profile of every value (no sampling error). */
    public NumericFeatureProfile(String name, long count, long missing, Long distinct, double mean, double std,
                                 double min, double max, Histogram histogram, byte[] kll) {
        this(name, count, missing, distinct, mean, std, min, max, histogram, kll, null);
    }

    /** The normalized rank error that sampling adds to the sketch's own (99%); 0 when every value was folded. */
    @JsonIgnore
    public double samplingRankError() {
        return sampling == null ? 0 : sampling.rankError(count);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.NUMERIC;
    }

    @Override
    public byte[] kll() {
        return kll.clone();
    }

    /** The KLL sketch, deserialized; a fresh copy on every call. */
    public KllDoublesSketch sketch() {
        return KllCodec.read(kll, name);
    }

    /**
     * Rank error of {@link #sketch()}: 0 while it still holds every value of an unsampled column, else its 99% bound
     * plus the sampling's.
     */
    @JsonIgnore
    public double rankError() {
        return KllCodec.rankError(sketch()) + samplingRankError();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericFeatureProfile p && name.equals(p.name) && count == p.count
                && missing == p.missing && Objects.equals(distinct, p.distinct)
                && Double.compare(mean, p.mean) == 0 && Double.compare(std, p.std) == 0
                && Double.compare(min, p.min) == 0 && Double.compare(max, p.max) == 0
                && Objects.equals(histogram, p.histogram) && Arrays.equals(kll, p.kll)
                && Objects.equals(sampling, p.sampling);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, count, missing, distinct, mean, std, min, max, histogram, Arrays.hashCode(kll),
                sampling);
    }

    @Override
    public String toString() {
        return "NumericFeatureProfile[name=" + name + ", count=" + count + ", missing=" + missing + ", mean=" + mean
                + ", std=" + std + ", min=" + min + ", max=" + max + ", kll=" + kll.length + " bytes"
                + (sampling == null ? "" : ", sampling=" + sampling) + "]";
    }
}
