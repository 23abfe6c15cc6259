package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.search.SearchSyntax.OrderTerm;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The order of experiments/search results, as MLflow's SQL store sorts them.
 *
 * <p>Each {@code order_by} entry is {@code <key> [ASC|DESC]} (ASC by default) with key {@code name},
 * {@code experiment_id}, {@code creation_time} or {@code last_update_time}, optionally prefixed
 * {@code attribute.}. Names compare by Unicode code point and ids numerically. With no entries the order is
 * {@code creation_time DESC, experiment_id ASC}; otherwise, unless an entry orders by {@code experiment_id},
 * the tie-breaker {@code experiment_id DESC} follows the entries (MLflow 2.12 appends it descending).
 */
public final class ExperimentOrder {

    private static final List<String> DEFAULT = List.of("creation_time DESC", "experiment_id ASC");
    private static final Pattern NUMERIC_ID = Pattern.compile("\\d{1,18}");
    private static final List<String> KEYS = List.of("creation_time", "experiment_id", "last_update_time", "name");

    private ExperimentOrder() {
    }

    /** Whether {@code orderBy} asks for the default order, {@code creation_time DESC, experiment_id ASC}. */
    public static boolean isDefault(List<String> orderBy) {
        return orderBy == null || orderBy.isEmpty() || orderBy.equals(DEFAULT);
    }

    /**
     * The comparator for {@code orderBy}.
     *
     * @param orderBy order_by entries, first key first; null or empty gives the default order
     * @throws CapstanException INVALID_PARAMETER_VALUE for an entry that cannot be parsed, orders by a tag, or
     *                          names an unknown entity type or key
     */
    public static Comparator<Experiment> parse(List<String> orderBy) {
        List<String> entries = orderBy == null || orderBy.isEmpty() ? DEFAULT : List.copyOf(orderBy);
        Comparator<Experiment> order = (a, b) -> 0;
        boolean byExperimentId = false;
        for (String entry : entries) {
            OrderTerm term = SearchSyntax.parseOrderBy(entry);
            String key = key(term.name());
            byExperimentId |= key.equals("experiment_id");
            Comparator<Experiment> byKey = comparator(key);
            order = order.thenComparing(term.ascending() ? byKey : byKey.reversed());
        }
        return byExperimentId ? order : order.thenComparing(comparator("experiment_id").reversed());
    }

    private static String key(QualifiedName name) {
        String type = name.entityType();
        if (type != null && (type.equals("tag") || type.equals("tags"))) {
            throw CapstanException.invalidParameter("Invalid order_by entity: tag ('" + name.text()
                    + "'). Experiments can be ordered by " + KEYS);
        }
        if (type != null && !type.equals("attribute")) {
            throw ExperimentFilter.invalidEntityType(type, name.text());
        }
        if (!KEYS.contains(name.key())) {
            throw ExperimentFilter.invalidAttributeKey(name.key(), KEYS);
        }
        return name.key();
    }

    private static Comparator<Experiment> comparator(String key) {
        return switch (key) {
            case "name" -> (a, b) -> SqlSemantics.compareText(a.name(), b.name());
            case "experiment_id" -> (a, b) -> compareIds(a.experimentId(), b.experimentId());
            case "creation_time" -> Comparator.comparingLong(Experiment::creationTime);
            case "last_update_time" -> Comparator.comparingLong(Experiment::lastUpdateTime);
            default -> throw new IllegalArgumentException(key);
        };
    }

    // Ids are integers in MLflow's SQL store; any non-numeric id sorts after the numeric ones.
    private static int compareIds(String left, String right) {
        Long a = parseId(left);
        Long b = parseId(right);
        if (a != null && b != null) {
            return Long.compare(a, b);
        }
        if (a == null && b == null) {
            return SqlSemantics.compareText(left, right);
        }
        return a == null ? 1 : -1;
    }

    private static Long parseId(String id) {
        return NUMERIC_ID.matcher(id).matches() ? Long.valueOf(id) : null;
    }
}
