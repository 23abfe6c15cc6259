package io.capstan.tracking.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.registry.RegisteredModel;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RegistryFiltersTest {
    private static final RegisteredModel PLAIN = model("iris", Map.of("team", "vision"));
    private static final RegisteredModel PROMPT = model("summarize", Map.of(RegistryFilters.IS_PROMPT_TAG, "true"));
    private static final RegisteredModel NOT_PROMPT = model("churn", Map.of(RegistryFilters.IS_PROMPT_TAG, "false"));
    private static final List<RegisteredModel> ALL = List.of(PLAIN, PROMPT, NOT_PROMPT);

    @Test
    void registeredModels_mlflow3DefaultPromptExclusion_keepsModelsWithoutTheTag() {
        Predicate<RegisteredModel> filter = RegistryFilters.registeredModels(
                "tags.`mlflow.prompt.is_prompt` != 'true'");

        assertThat(ALL.stream().filter(filter)).containsExactly(PLAIN, NOT_PROMPT);
    }

    @Test
    void registeredModels_askingForPrompts_findsOnlyPrompts() {
        assertThat(ALL.stream().filter(RegistryFilters.registeredModels("tags.`mlflow.prompt.is_prompt` = 'true'")))
                .containsExactly(PROMPT);
        assertThat(ALL.stream().filter(RegistryFilters.registeredModels("tags.`mlflow.prompt.is_prompt` != 'false'")))
                .containsExactly(PROMPT);
    }

    @Test
    void registeredModels_promptExclusionWithAName_appliesBoth() {
        Predicate<RegisteredModel> filter = RegistryFilters.registeredModels(
                "name LIKE 'i%' AND tags.`mlflow.prompt.is_prompt` != 'true'");

        assertThat(ALL.stream().filter(filter)).containsExactly(PLAIN);
    }

    @Test
    void registeredModels_otherTagNotEqual_neverMatchesAModelWithoutIt() {
        Predicate<RegisteredModel> filter = RegistryFilters.registeredModels("tags.team != 'nlp'");

        assertThat(ALL.stream().filter(filter)).containsExactly(PLAIN);
    }

    @Test
    void registeredModels_unknownAttribute_isRefusedNamingIt() {
        assertThatThrownBy(() -> RegistryFilters.registeredModels("owner = 'ada'"))
                .isInstanceOf(CapstanException.class).hasMessageContaining("Invalid attribute name: owner");
    }

    private static RegisteredModel model(String name, Map<String, String> tags) {
        return new RegisteredModel(name, 1L, 1L, "", tags, Map.of(), null);
    }
}
