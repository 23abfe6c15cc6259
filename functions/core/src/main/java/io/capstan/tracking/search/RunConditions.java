package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Run;
import io.capstan.tracking.search.RunKey.Attribute;
import io.capstan.tracking.search.RunKey.AttributeKey;
import io.capstan.tracking.search.RunKey.DatasetField;
import io.capstan.tracking.search.RunKey.DatasetKey;
import io.capstan.tracking.search.RunKey.MetricKey;
import io.capstan.tracking.search.RunKey.ParamKey;
import io.capstan.tracking.search.RunKey.TagKey;
import io.capstan.tracking.search.SearchSyntax.Clause;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

// Turns one parsed clause into a test on a run. A run that lacks the metric, param, tag or dataset a clause
// names never matches it, '!=' included, as with the SQL store's inner joins.
final class RunConditions {

    static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    private RunConditions() {
    }

    static Predicate<Run> of(Clause clause) {
        RunKey key = RunKey.resolve(clause.name(), RunKey.FILTER_ATTRIBUTES);
        if (key instanceof MetricKey metric) {
            return metric(clause, metric.name());
        }
        if (key instanceof ParamKey param) {
            return text(clause, "parameter '" + param.name() + "'", run -> run.params().get(param.name()));
        }
        if (key instanceof TagKey tag) {
            return text(clause, "tag '" + tag.name() + "'", run -> run.tags().get(tag.name()));
        }
        if (key instanceof AttributeKey attribute) {
            return attribute(clause, attribute.attribute());
        }
        return dataset(clause, ((DatasetKey) key).field());
    }

    private static Predicate<Run> metric(Clause clause, String name) {
        String what = "metric '" + name + "'";
        BigDecimal literal = ClauseValues.number(clause, what);
        DoublePredicate matcher = SqlSemantics.metricMatcher(
                ClauseValues.operator(clause, Operator.NUMERIC, what), literal);
        return run -> run.metric(name).map(point -> matcher.test(point.value())).orElse(false);
    }

    private static Predicate<Run> text(Clause clause, String what, Function<Run, String> reader) {
        String value = ClauseValues.string(clause, what);
        Predicate<String> matcher = SqlSemantics.textMatcher(ClauseValues.operator(clause, Operator.TEXT, what), value);
        return run -> {
            String actual = reader.apply(run);
            return actual != null && matcher.test(actual);
        };
    }

    private static Predicate<Run> attribute(Clause clause, Attribute attribute) {
        String what = "attribute '" + attribute.key() + "'";
        if (attribute.numeric()) {
            BigDecimal literal = ClauseValues.number(clause, "numeric attribute: " + attribute.key());
            LongPredicate matcher = SqlSemantics.longMatcher(
                    ClauseValues.operator(clause, Operator.NUMERIC, what), literal);
            return run -> {
                Object actual = attribute.read(run.info());
                return actual != null && matcher.test((Long) actual);
            };
        }
        if (ClauseValues.isList(clause) && attribute != Attribute.RUN_ID) {
            throw CapstanException.invalidParameter("Only the 'run_id' attribute supports comparison with a list of "
                    + "quoted string values, not '" + clause.name().text() + "' in '" + clause.text() + "'");
        }
        Predicate<String> matcher = stringOrList(clause, what);
        return run -> {
            Object actual = attribute.read(run.info());
            return actual != null && matcher.test((String) actual);
        };
    }

    private static Predicate<Run> dataset(Clause clause, DatasetField field) {
        Predicate<String> matcher = stringOrList(clause, "dataset attribute '" + field.name().toLowerCase(Locale.ROOT) + "'");
        Function<DatasetInput, String> reader = switch (field) {
            case NAME -> input -> input.dataset().name();
            case DIGEST -> input -> input.dataset().digest();
            case CONTEXT -> input -> input.tags().get(DATASET_CONTEXT_TAG);
        };
        return run -> run.inputs().stream().map(reader).anyMatch(value -> value != null && matcher.test(value));
    }

    private static Predicate<String> stringOrList(Clause clause, String what) {
        if (ClauseValues.isList(clause)) {
            Operator operator = ClauseValues.operator(clause, Operator.TEXT_OR_LIST, what);
            return SqlSemantics.listMatcher(operator, ClauseValues.list(clause));
        }
        String value = ClauseValues.string(clause, what);
        return SqlSemantics.textMatcher(ClauseValues.operator(clause, Operator.TEXT_OR_LIST, what), value);
    }
}
