package io.capstan.infra.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.infra.nag.NagFindings;
import io.capstan.infra.storage.StorageAccess.BucketAccess;
import io.capstan.infra.storage.StorageAccess.BucketGrant;
import io.capstan.storage.BucketDefinition;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageAccessTest {

    @Test
    void bucketGrant_underAFolder_coversTheObjectsBelowIt() {
        assertThat(BucketGrant.under(BucketDefinition.CAPTURE, "capture/", BucketAccess.WRITE).objectsKeyPattern())
                .isEqualTo("capture/*");
        assertThat(BucketGrant.whole(BucketDefinition.CAPTURE, BucketAccess.READ).objectsKeyPattern()).isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"capture", "/capture/", "capture/*/", "reports?/"})
    void bucketGrant_prefixNotAPlainFolder_fails(String prefix) {
        assertThatThrownBy(() -> BucketGrant.under(BucketDefinition.CAPTURE, prefix, BucketAccess.WRITE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(prefix);
    }

    @Test
    void nagFindings_escaped_matchesTheTextLiterally() {
        String escaped = NagFindings.escaped("/registry/*");

        assertThat(Pattern.compile(escaped).matcher("/registry/*").matches()).isTrue();
        assertThat(Pattern.compile(escaped).matcher("/registryX/abc").matches()).isFalse();
    }
}
