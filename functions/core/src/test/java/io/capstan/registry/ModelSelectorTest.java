package io.capstan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelSelectorTest {

    @Test
    void parseTarget_aliasOrVersionReference() {
        assertThat(ModelSelector.parseTarget("challenger")).isEqualTo(new ModelSelector.Alias("challenger"));
        assertThat(ModelSelector.parseTarget("v12")).isEqualTo(new ModelSelector.Version(12));
        assertThat(ModelSelector.parseTarget("V3")).isEqualTo(new ModelSelector.Version(3));
    }

    @Test
    void parseTarget_versionZeroOrPunctuation_isRefused() {
        assertThatThrownBy(() -> ModelSelector.parseTarget("v0")).hasMessageContaining("start at v1");
        assertThatThrownBy(() -> ModelSelector.parseTarget("a.b")).hasMessageContaining("neither an alias");
    }

    @Test
    void checkAliasName_reservedForms_areRefused() {
        assertThat(ModelSelector.checkAliasName("champion")).isEqualTo("champion");
        assertThatThrownBy(() -> ModelSelector.checkAliasName("v2")).hasMessageContaining("v<number>");
        assertThatThrownBy(() -> ModelSelector.checkAliasName("Latest")).hasMessageContaining("'latest'");
        assertThatThrownBy(() -> ModelSelector.checkAliasName(null)).hasMessageContaining("Invalid alias name");
    }
}
