package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.ModelMetric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The order of logged-models/search results, as MLflow 3's SQL store sorts them: by each {@code order_by} term in
 * turn (a column, or {@code metrics.<key>}: the value of the model's latest point of that metric by timestamp then
 * step, optionally only among points on one dataset), models lacking the value last in either direction; then by
 * creation time, newest first, unless a term already orders by it; then by model id, so pages are stable.
 */
public final class LoggedModelOrder {

    /**
     * One {@code order_by} entry.
     *
     * @param fieldName     a column ({@code name}, {@code creation_timestamp}, …) or {@code metrics.<key>}
     * @param ascending     direction
     * @param datasetName   for a metric: only points logged on this dataset count; null for any
     * @param datasetDigest for a metric: only points with this dataset digest count; null for any
     */
    public record Term(String fieldName, boolean ascending, String datasetName, String datasetDigest) {
    }

    private LoggedModelOrder() {
    }

    /**
     * The comparator for {@code terms}; models must carry their metrics when {@link #readsMetrics(List)}.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for a missing field name, an unknown column, or an entity
     *                          other than {@code metrics}
     */
    public static Comparator<LoggedModel> parse(List<Term> terms) {
        List<Comparator<LoggedModel>> comparators = new ArrayList<>();
        boolean byCreation = false;
        for (Term term : terms) {
            String field = term.fieldName();
            if (field == null || field.isEmpty()) {
                throw CapstanException.invalidParameter("Missing value for required parameter "
                        + "'order_by.field_name'.");
            }
            Function<LoggedModel, Comparable<?>> key;
            if (!field.contains(".")) {
                LoggedModelAttribute attribute = LoggedModelAttribute.of(field).orElseThrow(() ->
                        CapstanException.invalidParameter("Invalid order by field name: " + field + ". Logged models "
                                + "can be ordered by " + LoggedModelAttribute.columns() + " or metrics.<key>."));
                byCreation |= attribute == LoggedModelAttribute.CREATION_TIMESTAMP;
                key = attribute::sortKey;
            } else {
                String[] parts = field.split("\\.", 2);
                if (!parts[0].equals("metrics")) {
                    throw CapstanException.invalidParameter("Invalid order by field name: " + field
                            + ". Only metrics are supported.");
                }
                String metric = parts[1];
                key = model -> latestValue(model, metric, term.datasetName(), term.datasetDigest());
            }
            comparators.add(nullsLast(key, term.ascending()));
        }
        if (!byCreation) {
            comparators.add(Comparator.comparingLong(LoggedModel::creationTimestamp).reversed());
        }
        comparators.add(Comparator.comparing(LoggedModel::modelId));
        return comparators.stream().reduce(Comparator::thenComparing).orElseThrow();
    }

    /** Whether a comparator for {@code terms} reads the models' metrics. */
    public static boolean readsMetrics(List<Term> terms) {
        return terms.stream().anyMatch(t -> t.fieldName() != null && t.fieldName().startsWith("metrics."));
    }

    private static Double latestValue(LoggedModel model, String key, String datasetName, String datasetDigest) {
        ModelMetric latest = null;
        for (ModelMetric point : model.metrics()) {
            if (!point.point().key().equals(key) || (datasetName != null && !datasetName.equals(point.datasetName()))
                    || (datasetDigest != null && !datasetDigest.equals(point.datasetDigest()))) {
                continue;
            }
            if (latest == null || point.point().timestamp() > latest.point().timestamp()
                    || (point.point().timestamp() == latest.point().timestamp()
                    && point.point().step() > latest.point().step())) {
                latest = point;
            }
        }
        return latest == null ? null : SqlSemantics.storedMetric(latest.point().value());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<LoggedModel> nullsLast(Function<LoggedModel, Comparable<?>> key, boolean ascending) {
        return (a, b) -> {
            Comparable left = key.apply(a);
            Comparable right = key.apply(b);
            if (left == null || right == null) {
                return Boolean.compare(left == null, right == null);
            }
            int cmp = left instanceof String l && right instanceof String r ? SqlSemantics.compareText(l, r)
                    : left.getClass() == right.getClass() ? left.compareTo(right)
                    : SqlSemantics.compareText(Objects.toString(left), Objects.toString(right));
            return ascending ? cmp : -cmp;
        };
    }
}
