package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.ModelMetric;
import io.capstan.tracking.search.SearchSyntax.Clause;
import io.capstan.tracking.search.SearchSyntax.Value;
import io.capstan.tracking.search.SearchSyntax.ValueList;
import io.capstan.tracking.search.SearchTokenizer.Kind;
import io.capstan.tracking.search.SearchTokenizer.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A parsed logged-models/search {@code filter} with its {@code datasets}, evaluated as MLflow 3's SQL store
 * ({@code search_logged_model_utils} and {@code search_logged_models}) evaluates them.
 *
 * <p>Identifiers are {@code metrics.<key>}, {@code params.<key>}, {@code tags.<key>}, {@code attributes.<column>} or
 * a bare column: {@code model_id}, {@code experiment_id}, {@code name}, {@code artifact_location},
 * {@code creation_timestamp_ms} (also {@code creation_timestamp}, {@code creation_time}),
 * {@code last_updated_timestamp_ms} ({@code last_updated_timestamp}), {@code status} (its number, 0 to 3),
 * {@code lifecycle_stage}, {@code model_type}, {@code source_run_id}, {@code status_message}; keys with special
 * characters are backticked. Metrics and the timestamps take a number and {@code = != > >= < <=}; everything else
 * takes {@code = != LIKE ILIKE}, or {@code IN} / {@code NOT IN} with a list of quoted strings. A string value is
 * single-quoted (or a bare word). A metric clause matches a model when any point it holds under that key (on one
 * of the {@code datasets}, when given) satisfies it; a param or tag clause when the model has the key and its value
 * satisfies it. With datasets and no metric clause, a model matches when it holds a point on one of them. Clauses
 * are joined by {@code AND}. Instances are immutable and thread-safe.
 */
public final class LoggedModelFilter implements Predicate<LoggedModel> {
    private static final Set<Operator> STRING_OPERATORS = EnumSet.of(Operator.EQ, Operator.NE, Operator.LIKE,
            Operator.ILIKE, Operator.IN, Operator.NOT_IN);

    private final List<Predicate<LoggedModel>> conditions;
    private final boolean readsMetrics;

    private LoggedModelFilter(List<Predicate<LoggedModel>> conditions, boolean readsMetrics) {
        this.conditions = List.copyOf(conditions);
        this.readsMetrics = readsMetrics;
    }

    /**
     * Parses {@code filter} against {@code datasets}.
     *
     * @param filter   the filter string; null or blank matches every model
     * @param datasets the datasets metric clauses are restricted to; empty for any
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the offending part when the filter is malformed, names
     *                          an unknown entity type or column, or uses a comparator or value the key does not take
     */
    public static LoggedModelFilter parse(String filter, List<MetricDataset> datasets) {
        List<MetricDataset> restrictedTo = List.copyOf(datasets);
        List<Predicate<LoggedModel>> conditions = new ArrayList<>();
        boolean metricClauses = false;
        for (Clause clause : SearchSyntax.parseFilter(filter)) {
            String entity = clause.name().entityType();
            if ("metrics".equals(entity)) {
                metricClauses = true;
            }
            conditions.add(condition(clause, restrictedTo));
        }
        if (!restrictedTo.isEmpty() && !metricClauses) {
            conditions.add(model -> model.metrics().stream()
                    .anyMatch(p -> restrictedTo.stream().anyMatch(d -> d.matches(p.datasetName(), p.datasetDigest()))));
        }
        return new LoggedModelFilter(conditions, metricClauses || !restrictedTo.isEmpty());
    }

    /** Whether {@link #test} reads the models' metrics (otherwise models listed without them can be tested). */
    public boolean readsMetrics() {
        return readsMetrics;
    }

    /** Whether {@code model} satisfies every clause; it must carry its metrics when {@link #readsMetrics()}. */
    @Override
    public boolean test(LoggedModel model) {
        for (Predicate<LoggedModel> condition : conditions) {
            if (!condition.test(model)) {
                return false;
            }
        }
        return true;
    }

    private static Predicate<LoggedModel> condition(Clause clause, List<MetricDataset> datasets) {
        QualifiedName name = clause.name();
        String entity = name.entityType();
        if (entity == null || entity.equals("attributes")) {
            LoggedModelAttribute attribute = LoggedModelAttribute.of(name.key()).orElseThrow(() ->
                    CapstanException.invalidParameter("Invalid attribute '" + name.key() + "' in filter clause '"
                            + clause.text() + "'. Logged models have the attributes " + LoggedModelAttribute.columns()));
            return attribute(clause, attribute);
        }
        switch (entity) {
            case "metrics":
                return metric(clause, name.key(), datasets);
            case "params":
                return text(clause, "params." + name.key(), model -> model.params().get(name.key()));
            case "tags":
                return text(clause, "tags." + name.key(), model -> model.tags().get(name.key()));
            default:
                throw CapstanException.invalidParameter("Invalid entity type: '" + entity + "' in filter clause '"
                        + clause.text() + "'. Expected one of ['attributes', 'metrics', 'params', 'tags'].");
        }
    }

    private static Predicate<LoggedModel> attribute(Clause clause, LoggedModelAttribute attribute) {
        String what = "attributes." + attribute.column();
        if (attribute.numeric()) {
            double literal = number(clause, what);
            Operator operator = operator(clause, Operator.NUMERIC, what);
            return model -> {
                double value = (Long) attribute.read(model);
                return operator.holds(Double.compare(value, literal));
            };
        }
        return text(clause, what, model -> (String) attribute.read(model));
    }

    private static Predicate<LoggedModel> metric(Clause clause, String key, List<MetricDataset> datasets) {
        String what = "metrics." + key;
        DoublePredicate matcher = SqlSemantics.metricMatcher(operator(clause, Operator.NUMERIC, what),
                BigDecimal.valueOf(number(clause, what)));
        return model -> model.metrics().stream()
                .filter(p -> p.point().key().equals(key))
                .filter(p -> datasets.isEmpty() || datasets.stream().anyMatch(d -> onDataset(d, p)))
                .anyMatch(p -> matcher.test(p.point().value()));
    }

    private static boolean onDataset(MetricDataset dataset, ModelMetric point) {
        return dataset.matches(point.datasetName(), point.datasetDigest());
    }

    private static Predicate<LoggedModel> text(Clause clause, String what,
                                               Function<LoggedModel, String> reader) {
        Operator operator = operator(clause, STRING_OPERATORS, what);
        Predicate<String> matcher = operator.takesList()
                ? SqlSemantics.listMatcher(operator, ((ValueList) clause.operand()).values())
                : SqlSemantics.textMatcher(operator, string(clause));
        return model -> {
            String actual = reader.apply(model);
            return actual != null && matcher.test(actual);
        };
    }

    private static Operator operator(Clause clause, Set<Operator> allowed, String what) {
        Operator operator = Operator.fromText(clause.comparator());
        if (operator == null || !allowed.contains(operator)) {
            throw CapstanException.invalidParameter("Invalid comparison operator for " + what + ": '"
                    + clause.comparator() + "'. Expected one of " + Operator.describe(allowed) + ".");
        }
        boolean list = clause.operand() instanceof ValueList;
        if (operator.takesList() != list) {
            throw CapstanException.invalidParameter(list
                    ? "Invalid comparison '" + clause.text() + "': a list of values needs IN or NOT IN, not '"
                            + operator.symbol() + "'"
                    : "Invalid comparison '" + clause.text() + "': " + operator.symbol()
                            + " takes a parenthesised list of quoted strings, e.g. ('a', 'b')");
        }
        return operator;
    }

    // MLflow reads the value as written, with single quotes stripped: 'x' and a bare x are the same string.
    private static String string(Clause clause) {
        Token token = ((Value) clause.operand()).token();
        return token.kind() == Kind.STRING ? token.text().substring(1, token.text().length() - 1) : token.text();
    }

    private static double number(Clause clause, String what) {
        if (clause.operand() instanceof Value value) {
            String text = value.token().text();
            String unquoted = value.token().kind() == Kind.STRING ? text.substring(1, text.length() - 1) : text;
            try {
                double number = Double.parseDouble(unquoted.strip());
                if (Double.isFinite(number)) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw CapstanException.invalidParameter("Expected a numeric value for " + what + " in filter clause '"
                + clause.text() + "'");
    }
}
