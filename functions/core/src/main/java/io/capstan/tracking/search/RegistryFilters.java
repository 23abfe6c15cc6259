package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.tracking.search.SearchSyntax.Clause;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** The tag MLflow 3 marks prompts with. */
    public static final String IS_PROMPT_TAG = "mlflow.prompt.is_prompt";
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

    /**
     * The model a model-versions/search {@code filter} is limited to by {@code name = '<name>'} (MLflow's clients' own
     * {@code search_model_versions("name='x'")}), so that only that model's versions need reading; empty otherwise.
     * The filter must be valid ({@link #modelVersions}).
     */
    public static Optional<String> modelVersionsOfOneModel(String filter) {
        return equalTo(filter, "name");
    }

    /**
     * The run a model-versions/search {@code filter} is limited to by {@code run_id = '<id>'} (MLflow's UI, for a run's
     * page); empty otherwise. The filter must be valid ({@link #modelVersions}).
     */
    public static Optional<String> modelVersionsOfOneRun(String filter) {
        return equalTo(filter, "run_id");
    }

    private static Optional<String> equalTo(String filter, String attribute) {
        for (Clause clause : SearchSyntax.parseFilter(filter)) {
            if (!isTag(clause.name()) && attribute.equals(clause.name().key()) && !ClauseValues.isList(clause)
                    && Operator.fromText(clause.comparator()) == Operator.EQ) {
                return Optional.of(ClauseValues.string(clause, "attribute '" + attribute + "'"));
            }
        }
        return Optional.empty();
    }

    private static <T> Predicate<T> tag(Clause clause, Function<T, Map<String, String>> tags) {
        String key = clause.name().key();
        if (key.equals(IS_PROMPT_TAG)) {
            return promptTag(clause, tags);
        }
        Predicate<String> matcher = text(clause, "tag '" + key + "'", false);
        return entity -> {
            String actual = tags.apply(entity).get(key);
            return actual != null && matcher.test(actual);
        };
    }

    /**
     * MLflow 3 keeps prompts in the registry, marked with {@value #IS_PROMPT_TAG}, and its client adds
     * {@code tags.`mlflow.prompt.is_prompt` != 'true'} to every search. Its server reads a clause on that tag as a
     * choice between prompts ({@code = 'true'}, {@code != 'false'}) and everything else (models without the tag
     * included), not as a tag comparison; so does Capstan.
     */
    private static <T> Predicate<T> promptTag(Clause clause, Function<T, Map<String, String>> tags) {
        Operator operator = ClauseValues.operator(clause, Operator.TEXT, "tag '" + IS_PROMPT_TAG + "'");
        String value = ClauseValues.string(clause, "tag '" + IS_PROMPT_TAG + "'");
        boolean prompts = (operator == Operator.EQ && value.equalsIgnoreCase("true"))
                || (operator == Operator.NE && value.equalsIgnoreCase("false"));
        return entity -> prompts == "true".equalsIgnoreCase(tags.apply(entity).get(IS_PROMPT_TAG));
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
