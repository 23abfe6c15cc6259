package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.tracking.search.SearchSyntax.Clause;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The {@code filter} of registered-models/search and model-versions/search, as MLflow's SQL store reads them.
 * Registered models: {@code name} and {@code tags.<key>} with {@code = != LIKE ILIKE}. Model versions: also
 * {@code run_id} (which alone takes {@code IN}), {@code source_path} and {@code version_number} (numeric
 * comparators). Comparisons are joined by {@code AND}; an entity without the named tag never matches.
 */
public final class RegistryFilters {

    private static final List<String> MODEL_VERSION_ATTRIBUTES = List.of("name", "run_id", "source_path",
            "version_number");

    private RegistryFilters() {
    }

    /**
     * Parses a registered-models/search filter.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the offending part
     */
    public static Predicate<RegisteredModel> registeredModels(String filter) {
        return all(SearchSyntax.parseFilter(filter).stream().map(clause -> {
            QualifiedName name = clause.name();
            if (isTag(name)) {
                return tag(clause, RegisteredModel::tags);
            }
            requireAttribute(name);
            if (!name.key().equals("name")) {
                throw CapstanException.invalidParameter("Invalid attribute name: " + name.key()
                        + ". Registered models can be filtered by 'name' and 'tags.<key>'.");
            }
            Predicate<String> matcher = text(clause, "attribute 'name'", false);
            return (Predicate<RegisteredModel>) m -> matcher.test(m.name());
        }).toList());
    }

    /**
     * Parses a model-versions/search filter.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the offending part
     */
    public static Predicate<ModelVersion> modelVersions(String filter) {
        return all(SearchSyntax.parseFilter(filter).stream().map(clause -> {
            QualifiedName name = clause.name();
            if (isTag(name)) {
                return tag(clause, ModelVersion::tags);
            }
            requireAttribute(name);
            return switch (name.key()) {
                case "name" -> textAttribute(clause, "name", false, ModelVersion::name);
                case "run_id" -> textAttribute(clause, "run_id", true, ModelVersion::runId);
                case "source_path" -> textAttribute(clause, "source_path", false, ModelVersion::source);
                case "version_number" -> {
                    BigDecimal literal = ClauseValues.number(clause, "attribute 'version_number'");
                    LongPredicate matcher = SqlSemantics.longMatcher(
                            ClauseValues.operator(clause, Operator.NUMERIC, "attribute 'version_number'"), literal);
                    yield (Predicate<ModelVersion>) v -> matcher.test(v.version());
                }
                default -> throw CapstanException.invalidParameter("Invalid attribute name: " + name.key()
                        + ". Valid attributes are " + MODEL_VERSION_ATTRIBUTES + " and 'tags.<key>'.");
            };
        }).toList());
    }

    private static <T> Predicate<T> tag(Clause clause, Function<T, Map<String, String>> tags) {
        String key = clause.name().key();
        Predicate<String> matcher = text(clause, "tag '" + key + "'", false);
        return entity -> {
            String actual = tags.apply(entity).get(key);
            return actual != null && matcher.test(actual);
        };
    }

    private static Predicate<ModelVersion> textAttribute(Clause clause, String key, boolean listAllowed,
                                                         Function<ModelVersion, String> reader) {
        Predicate<String> matcher = text(clause, "attribute '" + key + "'", listAllowed);
        return v -> matcher.test(reader.apply(v));
    }

    private static Predicate<String> text(Clause clause, String what, boolean listAllowed) {
        Operator operator = ClauseValues.operator(clause, listAllowed ? Operator.TEXT_OR_LIST : Operator.TEXT, what);
        if (operator.takesList()) {
            return SqlSemantics.listMatcher(operator, ClauseValues.list(clause));
        }
        return SqlSemantics.textMatcher(operator, ClauseValues.string(clause, what));
    }

    private static boolean isTag(QualifiedName name) {
        return "tag".equals(name.entityType()) || "tags".equals(name.entityType());
    }

    private static void requireAttribute(QualifiedName name) {
        if (name.entityType() != null && !name.entityType().equals("attribute")) {
            throw CapstanException.invalidParameter("Invalid entity type '" + name.entityType() + "' in '"
                    + name.text() + "'. Valid entity types are ('attribute', 'tag', 'tags')");
        }
    }

    private static <T> Predicate<T> all(List<Predicate<T>> conditions) {
        return entity -> {
            for (Predicate<T> condition : conditions) {
                if (!condition.test(entity)) {
                    return false;
                }
            }
            return true;
        };
    }
}
