package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import io.capstan.tracking.search.RunKey.Attribute;
import io.capstan.tracking.search.RunKey.AttributeKey;
import io.capstan.tracking.search.RunKey.ParamKey;
import io.capstan.tracking.search.RunKey.TagKey;
import io.capstan.tracking.search.SearchSyntax.Clause;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A parsed runs/search {@code filter}: comparisons joined by {@code AND}, in MLflow's grammar, evaluated as
 * MLflow's SQL store evaluates them.
 *
 * <p>Identifiers are {@code metrics.<key>} (also {@code metric.}), {@code params.<key>} ({@code param.},
 * {@code parameter.}, {@code parameters.}), {@code tags.<key>} ({@code tag.}), {@code attributes.<key>}
 * ({@code attribute.}, {@code attr.}, {@code run.}, or no prefix) and {@code datasets.name|digest|context}
 * ({@code dataset.}); a key with dots, spaces or other special characters is backticked or double-quoted.
 * Metrics and the attributes {@code start_time} (alias {@code created}) and {@code end_time} take numbers and
 * {@code = != > >= < <=}. Params, tags and the attributes {@code run_id}, {@code run_name}, {@code status},
 * {@code user_id} and {@code artifact_uri} take single- or double-quoted strings and {@code = != LIKE ILIKE};
 * {@code attributes.run_id} and {@code datasets.*} also take {@code IN} and {@code NOT IN} with a list of
 * single-quoted strings. A run lacking the named metric, param, tag or dataset never matches. Instances are
 * immutable and thread-safe.
 */
public final class RunFilter implements Predicate<Run> {

    private final String filter;
    private final List<Clause> clauses;
    private final List<Predicate<Run>> conditions;

    private RunFilter(String filter, List<Clause> clauses, List<Predicate<Run>> conditions) {
        this.filter = filter;
        this.clauses = List.copyOf(clauses);
        this.conditions = List.copyOf(conditions);
    }

    /**
     * Parses {@code filter}.
     *
     * @param filter the filter string; null or blank matches every run
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the offending part when the filter is malformed,
     *                          names an unknown entity type or attribute, or uses a comparator or value the
     *                          key does not take
     */
    public static RunFilter parse(String filter) {
        List<Clause> clauses = SearchSyntax.parseFilter(filter);
        List<Predicate<Run>> conditions = clauses.stream().map(RunConditions::of).toList();
        return new RunFilter(filter == null ? "" : filter, clauses, conditions);
    }

    /**
     * The {@link RunIndex} this filter narrows the runs to: the values of params, tags and the run name it compares
     * with {@code =}, in the filter's order, then the status it compares with {@code =} ({@link RunIndex.Every} when
     * there are several), else every run. Every run this filter matches is in that index.
     */
    public RunIndex index() {
        List<RunIndex> values = new ArrayList<>();
        RunIndex status = null;
        for (Clause clause : clauses) {
            if (ClauseValues.isList(clause) || Operator.fromText(clause.comparator()) != Operator.EQ) {
                continue;
            }
            RunKey key = RunKey.resolve(clause.name(), RunKey.FILTER_ATTRIBUTES);
            if (key instanceof ParamKey param) {
                values.add(new RunIndex.WithParam(param.name(), ClauseValues.string(clause, "param")));
            } else if (key instanceof TagKey tag) {
                values.add(new RunIndex.WithTag(tag.name(), ClauseValues.string(clause, "tag")));
            } else if (key instanceof AttributeKey attribute && attribute.attribute() == Attribute.RUN_NAME) {
                values.add(new RunIndex.WithRunName(ClauseValues.string(clause, "run_name")));
            } else if (key instanceof AttributeKey attribute && attribute.attribute() == Attribute.STATUS
                    && status == null) {
                String value = ClauseValues.string(clause, "status");
                status = Arrays.stream(RunStatus.values()).filter(s -> s.name().equals(value)).findFirst()
                        .<RunIndex>map(RunIndex.WithStatus::new).orElse(null);
            }
        }
        List<RunIndex> candidates = new ArrayList<>(values.stream().distinct().toList());
        if (status != null) {
            candidates.add(status);
        }
        return switch (candidates.size()) {
            case 0 -> RunIndex.ALL;
            case 1 -> candidates.get(0);
            default -> new RunIndex.Every(candidates);
        };
    }

    /** Whether {@code run} satisfies every comparison of the filter. */
    @Override
    public boolean test(Run run) {
        for (Predicate<Run> condition : conditions) {
            if (!condition.test(run)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "RunFilter[" + filter + "]";
    }
}
