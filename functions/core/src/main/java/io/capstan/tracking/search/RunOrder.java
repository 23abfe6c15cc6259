package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.search.RunKey.Attribute;
import io.capstan.tracking.search.RunKey.AttributeKey;
import io.capstan.tracking.search.RunKey.DatasetKey;
import io.capstan.tracking.search.RunKey.MetricKey;
import io.capstan.tracking.search.RunKey.ParamKey;
import io.capstan.tracking.search.RunKey.TagKey;
import io.capstan.tracking.search.SearchSyntax.OrderTerm;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The order of runs/search results, as MLflow's SQL store sorts them.
 *
 * <p>Each {@code order_by} entry is {@code <identifier> [ASC|DESC]} (ASC by default, case-insensitive), where
 * the identifier is a metric, param, tag or attribute as in {@link RunFilter}; several entries apply in turn.
 * Metrics compare numerically, params, tags and text attributes by Unicode code point. Whatever the direction,
 * runs that have the key come first, then runs whose metric is NaN, then runs without the key (or with no end
 * time). After the entries come the tie-breakers {@code start_time DESC} (unless an entry already orders by
 * start time) and {@code run_id ASC}; with no entries that is the whole order.
 */
public final class RunOrder {

    private static final int PRESENT = 0;
    private static final int NAN = 1;
    private static final int MISSING = 2;

    private static final Comparator<Run> START_TIME_DESC =
            Comparator.comparingLong((Run run) -> run.info().startTime()).reversed();
    private static final Comparator<Run> RUN_ID_ASC =
            (a, b) -> SqlSemantics.compareText(a.info().runId(), b.info().runId());

    private RunOrder() {
    }

    /**
     * The comparator for {@code orderBy}.
     *
     * @param orderBy order_by entries, first key first; null or empty gives {@code start_time DESC, run_id ASC}
     * @throws CapstanException INVALID_PARAMETER_VALUE for an entry that cannot be parsed, names an unknown entity
     *                          type or attribute, orders by a dataset, or repeats an earlier entry's key
     */
    public static Comparator<Run> parse(List<String> orderBy) {
        List<String> entries = orderBy == null ? List.of() : List.copyOf(orderBy);
        Set<RunKey> seen = new HashSet<>();
        Comparator<Run> order = (a, b) -> 0;
        for (String entry : entries) {
            OrderTerm term = SearchSyntax.parseOrderBy(entry);
            RunKey key = RunKey.resolve(term.name(), RunKey.ORDER_ATTRIBUTES);
            if (key instanceof DatasetKey) {
                throw CapstanException.invalidParameter("Invalid order_by entity type 'dataset' in '" + entry
                        + "'. Order by metrics, params, tags or attributes");
            }
            if (!seen.add(key)) {
                throw CapstanException.invalidParameter("`order_by` contains duplicate fields: " + entries
                        + " ('" + entry + "' repeats an earlier key)");
            }
            order = order.thenComparing(comparator(key, term.ascending()));
        }
        if (!seen.contains(new AttributeKey(Attribute.START_TIME))) {
            order = order.thenComparing(START_TIME_DESC);
        }
        return order.thenComparing(RUN_ID_ASC);
    }

    /**
     * Whether {@code orderBy} sorts by start time alone (then by run id, the tie-breaker every order ends with), and
     * in which direction: no entries sort newest first; a single start time entry sorts as it says.
     *
     * @return true for oldest first, false for newest first, empty for any other order
     * @throws CapstanException INVALID_PARAMETER_VALUE as {@link #parse} does
     */
    public static Optional<Boolean> startTimeAscending(List<String> orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            return Optional.of(false);
        }
        if (orderBy.size() != 1) {
            return Optional.empty();
        }
        OrderTerm term = SearchSyntax.parseOrderBy(orderBy.get(0));
        RunKey key = RunKey.resolve(term.name(), RunKey.ORDER_ATTRIBUTES);
        return key.equals(new AttributeKey(Attribute.START_TIME)) ? Optional.of(term.ascending()) : Optional.empty();
    }

    /** A search ordered by one metric's latest value, which a store can read from a metric index. */
    public record MetricOrder(String key, boolean ascending) {
    }

    /** The metric {@code orderBy} sorts by, when it is its one entry; empty for any other order. */
    public static Optional<MetricOrder> metricOrder(List<String> orderBy) {
        if (orderBy == null || orderBy.size() != 1) {
            return Optional.empty();
        }
        OrderTerm term = SearchSyntax.parseOrderBy(orderBy.get(0));
        return RunKey.resolve(term.name(), RunKey.ORDER_ATTRIBUTES) instanceof MetricKey metric
                ? Optional.of(new MetricOrder(metric.name(), term.ascending())) : Optional.empty();
    }

    /**
     * The order of {@code orderBy}'s entries alone, without the tie-breakers (start time newest first when there are
     * none): runs it finds equal are a group, which only the tie-breakers order.
     */
    public static Comparator<Run> groups(List<String> orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            return START_TIME_DESC;
        }
        Comparator<Run> order = (a, b) -> 0;
        for (String entry : orderBy) {
            OrderTerm term = SearchSyntax.parseOrderBy(entry);
            order = order.thenComparing(comparator(RunKey.resolve(term.name(), RunKey.ORDER_ATTRIBUTES),
                    term.ascending()));
        }
        return order;
    }

    private static Comparator<Run> comparator(RunKey key, boolean ascending) {
        if (key instanceof MetricKey metric) {
            return ranked(run -> run.metric(metric.name()).map(Metric::value).orElse(null),
                    value -> Double.isNaN(value) ? NAN : PRESENT, RunOrder::compareStoredMetrics, ascending);
        }
        if (key instanceof ParamKey param) {
            return ranked(run -> run.params().get(param.name()), value -> PRESENT, SqlSemantics::compareText,
                    ascending);
        }
        if (key instanceof TagKey tag) {
            return ranked(run -> run.tags().get(tag.name()), value -> PRESENT, SqlSemantics::compareText, ascending);
        }
        Attribute attribute = ((AttributeKey) key).attribute();
        if (attribute.numeric()) {
            return ranked(run -> (Long) attribute.read(run.info()), value -> PRESENT, Long::compare, ascending);
        }
        return ranked(run -> (String) attribute.read(run.info()), value -> PRESENT, SqlSemantics::compareText,
                ascending);
    }

    // The SQL store sorts first by a CASE column (present, then NaN, then missing) that ignores the direction,
    // then by the value in the requested direction.
    private static <T> Comparator<Run> ranked(Function<Run, T> reader, ToIntFunction<T> rankOfPresent,
                                              Comparator<T> order, boolean ascending) {
        return (a, b) -> {
            T left = reader.apply(a);
            T right = reader.apply(b);
            int leftRank = left == null ? MISSING : rankOfPresent.applyAsInt(left);
            int rightRank = right == null ? MISSING : rankOfPresent.applyAsInt(right);
            if (leftRank != rightRank) {
                return Integer.compare(leftRank, rightRank);
            }
            if (leftRank != PRESENT) {
                return 0;
            }
            int cmp = order.compare(left, right);
            return ascending ? cmp : -cmp;
        };
    }

    private static int compareStoredMetrics(double left, double right) {
        double a = SqlSemantics.storedMetric(left);
        double b = SqlSemantics.storedMetric(right);
        return a < b ? -1 : a > b ? 1 : 0;
    }
}
