package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Asserts that a search input is refused as the caller's fault, with a message naming the bad part.
final class SearchAssertions {

    private SearchAssertions() {
    }

    static void assertInvalidParameter(ThrowingCallable call, String... messageFragments) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CapstanException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.errorCode().httpStatus()).isEqualTo(400);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains(messageFragments);
        });
    }
}
