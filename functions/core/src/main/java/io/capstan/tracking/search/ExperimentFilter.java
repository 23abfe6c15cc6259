package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.search.SearchSyntax.Clause;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A parsed experiments/search {@code filter}, as MLflow's {@code SearchExperimentsUtils} and SQL store read it:
 * comparisons joined by {@code AND} on {@code name} (or {@code attribute.name}) with {@code = != LIKE ILIKE},
 * on {@code creation_time} and {@code last_update_time} (epoch milliseconds) with {@code = != > >= < <=}, and
 * on {@code tags.<key>} (or {@code tag.<key>}) with {@code = != LIKE ILIKE}. String values are single- or
 * double-quoted; LIKE is case-sensitive, ILIKE is not. An experiment without the named tag never matches.
 * Instances are immutable and thread-safe.
 */
public final class ExperimentFilter implements Predicate<Experiment> {

    private static final List<String> ATTRIBUTES = List.of("creation_time", "last_update_time", "name");

    private final String filter;
    private final List<Predicate<Experiment>> conditions;
    private final Optional<String> name;

    private ExperimentFilter(String filter, List<Predicate<Experiment>> conditions, Optional<String> name) {
        this.filter = filter;
        this.conditions = List.copyOf(conditions);
        this.name = name;
    }

    /**
     * Parses {@code filter}.
     *
     * @param filter the filter string; null or blank matches every experiment
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the offending part when the filter is malformed,
     *                          names an entity type other than attribute/tag/tags or an unknown attribute, or
     *                          uses a comparator or value the key does not take
     */
    public static ExperimentFilter parse(String filter) {
        List<Clause> clauses = SearchSyntax.parseFilter(filter);
        List<Predicate<Experiment>> conditions = clauses.stream().map(ExperimentFilter::condition).toList();
        Optional<String> name = clauses.stream().filter(clause -> clause.name().key().equals("name")
                        && (clause.name().entityType() == null || clause.name().entityType().equals("attribute"))
                        && Operator.fromText(clause.comparator()) == Operator.EQ)
                .map(clause -> ClauseValues.string(clause, "attribute 'name'")).findFirst();
        return new ExperimentFilter(filter == null ? "" : filter, conditions, name);
    }

    /** The name the filter compares with {@code =}, if it does: no other experiment can match. */
    public Optional<String> name() {
        return name;
    }

    /** Whether {@code experiment} satisfies every comparison of the filter. */
    @Override
    public boolean test(Experiment experiment) {
        for (Predicate<Experiment> condition : conditions) {
            if (!condition.test(experiment)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ExperimentFilter[" + filter + "]";
    }

    private static Predicate<Experiment> condition(Clause clause) {
        QualifiedName name = clause.name();
        String type = name.entityType();
        if (type == null || type.equals("attribute")) {
            return attribute(clause, name.key());
        }
        if (type.equals("tag") || type.equals("tags")) {
            String what = "tag '" + name.key() + "'";
            Predicate<String> matcher = textMatcher(clause, what);
            return experiment -> {
                String actual = experiment.tags().get(name.key());
                return actual != null && matcher.test(actual);
            };
        }
        throw invalidEntityType(type, name.text());
    }

    private static Predicate<Experiment> attribute(Clause clause, String key) {
        return switch (key) {
            case "name" -> {
                Predicate<String> matcher = textMatcher(clause, "attribute 'name'");
                yield experiment -> matcher.test(experiment.name());
            }
            case "creation_time" -> numeric(clause, key, Experiment::creationTime);
            case "last_update_time" -> numeric(clause, key, Experiment::lastUpdateTime);
            default -> throw invalidAttributeKey(key, ATTRIBUTES);
        };
    }

    private static Predicate<Experiment> numeric(Clause clause, String key, ToLongFunction<Experiment> reader) {
        BigDecimal literal = ClauseValues.number(clause, "numeric attribute: " + key);
        LongPredicate matcher = SqlSemantics.longMatcher(
                ClauseValues.operator(clause, Operator.NUMERIC, "attribute '" + key + "'"), literal);
        return experiment -> matcher.test(reader.applyAsLong(experiment));
    }

    private static Predicate<String> textMatcher(Clause clause, String what) {
        if (ClauseValues.isList(clause)) {
            throw CapstanException.invalidParameter("Experiment search does not support comparison with a list of "
                    + "values: '" + clause.text() + "'");
        }
        String value = ClauseValues.string(clause, what);
        return SqlSemantics.textMatcher(ClauseValues.operator(clause, Operator.TEXT, what), value);
    }

    static CapstanException invalidEntityType(String type, String identifier) {
        return CapstanException.invalidParameter("Invalid entity type '" + type + "' in '" + identifier
                + "'. Valid entity types are ('attribute', 'tag', 'tags')");
    }

    static CapstanException invalidAttributeKey(String key, List<String> valid) {
        return CapstanException.invalidParameter("Invalid attribute key '" + key + "' specified. Valid keys are '"
                + valid + "'");
    }
}
