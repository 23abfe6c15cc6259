package io.capstan.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.registry.ModelSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelReferenceTest {

    @Test
    void parse_bareName_selectsChampion() {
        assertThat(ModelReference.parse("iris")).isEqualTo(ModelReference.champion("iris"));
    }

    @Test
    void parse_alias_selectsAlias() {
        assertThat(ModelReference.parse("iris@challenger")).isEqualTo(ModelReference.alias("iris", "challenger"));
    }

    @ParameterizedTest
    @CsvSource({"iris@v3, 3", "iris@V12, 12", "iris@v007, 7"})
    void parse_vDigits_pinsVersion(String segment, long version) {
        assertThat(ModelReference.parse(segment)).isEqualTo(ModelReference.version("iris", version));
    }

    @Test
    void parse_nameHoldingAt_splitsAtLastAt() {
        ModelReference reference = ModelReference.parse("team@fraud@v2");

        assertThat(reference.name()).isEqualTo("team@fraud");
        assertThat(reference.selector()).isEqualTo(new ModelSelector.Version(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "iris@|names nothing after '@'",
            "@v3|names no model before '@'",
            "iris@v0|start at v1",
            "iris@v1234567890123456789|out of range",
            "iris@chal lenger|is neither an alias",
            "iris@x.y|is neither an alias"})
    void parse_invalidSegment_throwsInvalidParameterNamingTheFix(String segment, String message) {
        assertThatThrownBy(() -> ModelReference.parse(segment))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining(message);
    }

    @Test
    void parse_emptySegment_throwsInvalidParameter() {
        assertThatThrownBy(() -> ModelReference.parse(""))
                .isInstanceOf(CapstanException.class).hasMessageContaining("empty");
    }

    @Test
    void parse_nameAndVersionSegments_pinsVersion() {
        assertThat(ModelReference.parse("iris", "4")).isEqualTo(ModelReference.version("iris", 4));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"iris@challenger|4|already selects a version", "iris|four|not a version number",
            "iris|0|not a version number"})
    void parse_badNameAndVersionSegments_throwsInvalidParameter(String name, String version, String message) {
        assertThatThrownBy(() -> ModelReference.parse(name, version))
                .isInstanceOf(CapstanException.class).hasMessageContaining(message);
    }

    @Test
    void toPathSegment_eachSelector_roundTripsThroughParse() {
        for (String segment : new String[]{"iris", "iris@challenger", "iris@v3"}) {
            assertThat(ModelReference.parse(segment).toPathSegment()).isEqualTo(segment);
        }
    }
}
