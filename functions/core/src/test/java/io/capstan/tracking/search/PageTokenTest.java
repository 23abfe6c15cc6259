package io.capstan.tracking.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;

import static io.capstan.tracking.search.SearchAssertions.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageTokenTest {

    private final List<Integer> seven = IntStream.range(0, 7).boxed().toList();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 1000, Integer.MAX_VALUE})
    void decode_encodedOffset_returnsOffset(int offset) {
        String token = PageToken.encode(offset);

        int decoded = PageToken.decode(token);

        assertThat(decoded).isEqualTo(offset);
        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void decode_nullOrEmpty_isFirstPage() {
        int forNull = PageToken.decode(null);
        int forEmpty = PageToken.decode("");

        assertThat(forNull).isZero();
        assertThat(forEmpty).isZero();
    }

    @Test
    void decode_mlflowStyleStandardBase64_isAccepted() {
        String token = Base64.getEncoder().encodeToString("{\"offset\": 1000}".getBytes(StandardCharsets.UTF_8));

        int decoded = PageToken.decode(token);

        assertThat(decoded).isEqualTo(1000);
    }

    @Test
    void encode_negativeOffset_isRejected() {
        assertThatThrownBy(() -> PageToken.encode(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void page_threePages_lastHasNoNextToken() {
        Page<Integer> first = PageToken.page(seven, 3, null);
        Page<Integer> second = PageToken.page(seven, 3, first.nextPageToken());
        Page<Integer> third = PageToken.page(seven, 3, second.nextPageToken());

        assertThat(first.items()).containsExactly(0, 1, 2);
        assertThat(first.nextPageToken()).isNotNull();
        assertThat(second.items()).containsExactly(3, 4, 5);
        assertThat(second.nextPageToken()).isNotNull();
        assertThat(third.items()).containsExactly(6);
        assertThat(third.nextPageToken()).isNull();
    }

    @Test
    void page_sizeDividesResults_lastFullPageHasNoNextToken() {
        List<Integer> six = seven.subList(0, 6);

        Page<Integer> second = PageToken.page(six, 3, PageToken.encode(3));

        assertThat(second.items()).containsExactly(3, 4, 5);
        assertThat(second.nextPageToken()).isNull();
    }

    @Test
    void page_everythingFits_hasNoNextToken() {
        Page<Integer> only = PageToken.page(seven, 1000, "");

        assertThat(only.items()).isEqualTo(seven);
        assertThat(only.nextPageToken()).isNull();
    }

    @Test
    void page_offsetPastTheEnd_isEmptyWithNoNextToken() {
        Page<Integer> beyond = PageToken.page(seven, 3, PageToken.encode(50));

        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.nextPageToken()).isNull();
    }

    @Test
    void page_hugeOffsetAndPageSize_doNotOverflow() {
        Page<Integer> page = PageToken.page(seven, Integer.MAX_VALUE, PageToken.encode(Integer.MAX_VALUE));

        assertThat(page.items()).isEmpty();
        assertThat(page.nextPageToken()).isNull();
    }

    @Test
    void page_zeroMaxResults_isInvalidParameter() {
        assertInvalidParameter(() -> PageToken.page(seven, 0, null), "max_results", "got 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a token!", "a", "%%%%"})
    void decode_notBase64_isInvalidPageToken(String token) {
        assertInvalidParameter(() -> PageToken.decode(token), "Invalid page token '" + token + "'",
                "could not base64-decode");
    }

    @Test
    void decode_base64WithoutOffset_isInvalidPageToken() {
        String token = Base64.getUrlEncoder().encodeToString("{\"page\": 2}".getBytes(StandardCharsets.UTF_8));

        assertInvalidParameter(() -> PageToken.decode(token), "Invalid page token", "does not hold an offset");
    }

    @Test
    void decode_negativeOffset_isInvalidPageToken() {
        String token = Base64.getUrlEncoder().encodeToString("{\"offset\": -3}".getBytes(StandardCharsets.UTF_8));

        assertInvalidParameter(() -> PageToken.decode(token), "Invalid page token", "offset -3");
    }

    @Test
    void decode_offsetBeyondInt_isInvalidPageToken() {
        String token = Base64.getUrlEncoder().encodeToString(
                "{\"offset\": 9999999999}".getBytes(StandardCharsets.UTF_8));

        assertInvalidParameter(() -> PageToken.decode(token), "Invalid page token", "offset 9999999999");
    }

    @Test
    void page_malformedToken_isInvalidPageToken() {
        assertInvalidParameter(() -> PageToken.page(seven, 3, "garbage?"), "Invalid page token 'garbage?'");
    }

    @Test
    void position_afterToken_roundTripsStartTimeAndRunId() {
        String token = PageToken.encodeAfter(-5L, "0a1b2c3d4e5f60718293a4b5c6d7e8f9");

        PageToken.Position position = PageToken.position(token);

        assertThat(position).isEqualTo(new PageToken.After(-5L, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"));
    }

    @Test
    void position_offsetTokenOrNone_isAnOffset() {
        assertThat(PageToken.position(PageToken.encode(40))).isEqualTo(new PageToken.Offset(40));
        assertThat(PageToken.position(null)).isEqualTo(new PageToken.Offset(0));
    }

    @Test
    void position_afterTokenWithAQuoteInTheRunId_isRejected() {
        String forged = Base64.getUrlEncoder().encodeToString("{\"after_start\": 1, \"after_run\": \"a\\\"b\"}"
                .getBytes(StandardCharsets.UTF_8));

        assertInvalidParameter(() -> PageToken.position(forged), "Invalid page token");
    }
}
