package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.tracking.search.SearchSyntax.OrderTerm;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order of registry search results, as MLflow's SQL store sorts them. Registered models: by {@code name} and
 * {@code last_updated_timestamp} (also written {@code timestamp}), then by name ascending unless ordered by name.
 * Model versions: by {@code name}, {@code version_number}, {@code creation_timestamp} and
 * {@code last_updated_timestamp}, by default {@code last_updated_timestamp DESC, name ASC, version_number DESC};
 * name ascending and version descending are appended when not given. A key may appear once.
 */
public final class RegistryOrder {

    private static final List<String> MODEL_KEYS = List.of("name", "last_updated_timestamp", "timestamp");
    private static final List<String> VERSION_KEYS = List.of("name", "version_number", "creation_timestamp",
            "last_updated_timestamp");
    private static final List<String> VERSION_DEFAULT = List.of("last_updated_timestamp DESC", "name ASC",
            "version_number DESC");

    private RegistryOrder() {
    }

    /** The comparator for registered-models/search {@code order_by}. */
    public static Comparator<RegisteredModel> registeredModels(List<String> orderBy) {
        Comparator<RegisteredModel> order = (a, b) -> 0;
        Set<String> seen = new HashSet<>();
        for (String entry : orderBy == null ? List.<String>of() : orderBy) {
            OrderTerm term = SearchSyntax.parseOrderBy(entry);
            String key = key(term, MODEL_KEYS, orderBy);
            String field = key.equals("timestamp") ? "last_updated_timestamp" : key;
            if (!seen.add(field)) {
                throw duplicate(orderBy);
            }
            Comparator<RegisteredModel> byKey = field.equals("name")
                    ? (a, b) -> SqlSemantics.compareText(a.name(), b.name())
                    : Comparator.comparingLong(RegisteredModel::lastUpdatedTimestamp);
            order = order.thenComparing(term.ascending() ? byKey : byKey.reversed());
        }
        return seen.contains("name") ? order : order.thenComparing((a, b) -> SqlSemantics.compareText(a.name(), b.name()));
    }

    /** The comparator for model-versions/search {@code order_by}. */
    public static Comparator<ModelVersion> modelVersions(List<String> orderBy) {
        List<String> entries = orderBy == null || orderBy.isEmpty() ? VERSION_DEFAULT : orderBy;
        Comparator<ModelVersion> order = (a, b) -> 0;
        Set<String> seen = new HashSet<>();
        for (String entry : entries) {
            OrderTerm term = SearchSyntax.parseOrderBy(entry);
            String key = key(term, VERSION_KEYS, entries);
            if (!seen.add(key)) {
                throw duplicate(entries);
            }
            Comparator<ModelVersion> byKey = versionComparator(key);
            order = order.thenComparing(term.ascending() ? byKey : byKey.reversed());
        }
        if (!seen.contains("name")) {
            order = order.thenComparing(versionComparator("name"));
        }
        return seen.contains("version_number") ? order : order.thenComparing(versionComparator("version_number").reversed());
    }

    private static Comparator<ModelVersion> versionComparator(String key) {
        return switch (key) {
            case "name" -> (a, b) -> SqlSemantics.compareText(a.name(), b.name());
            case "version_number" -> Comparator.comparingLong(ModelVersion::version);
            case "creation_timestamp" -> Comparator.comparingLong(ModelVersion::creationTimestamp);
            case "last_updated_timestamp" -> Comparator.comparingLong(ModelVersion::lastUpdatedTimestamp);
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static String key(OrderTerm term, List<String> valid, List<String> orderBy) {
        QualifiedName name = term.name();
        if (name.entityType() != null && !name.entityType().equals("attribute")) {
            throw CapstanException.invalidParameter("Invalid order by key '" + name.text() + "' specified. Valid keys"
                    + " are " + valid);
        }
        if (!valid.contains(name.key())) {
            throw CapstanException.invalidParameter("Invalid order by key '" + name.key() + "' specified. Valid keys"
                    + " are " + valid);
        }
        return name.key();
    }

    private static CapstanException duplicate(List<String> orderBy) {
        return CapstanException.invalidParameter("`order_by` contains duplicate fields: " + orderBy);
    }
}
