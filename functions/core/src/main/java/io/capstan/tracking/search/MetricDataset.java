package io.capstan.tracking.search;

import java.util.Objects;

/**
 * A dataset that metric clauses of a logged-model search are restricted to, as MLflow's
 * {@code SearchLoggedModels.Dataset}: a point matches when it was logged with this dataset name and, when a digest is
 * given, this digest.
 *
 * @param name   dataset name, required
 * @param digest dataset digest, null to accept any
 */
public record MetricDataset(String name, String digest) {
    public MetricDataset {
        Objects.requireNonNull(name, "name");
    }

    boolean matches(String pointName, String pointDigest) {
        return name.equals(pointName) && (digest == null || digest.equals(pointDigest));
    }
}
