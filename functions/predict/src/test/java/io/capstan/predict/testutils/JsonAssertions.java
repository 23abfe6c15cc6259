package io.capstan.predict.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Comparing answers with reference answers: field order, and numbers within a tolerance. */
public final class JsonAssertions {
    private JsonAssertions() {
    }

    /** The object's field names, in order. */
    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Same structure, same strings and integers, numbers within {@code tolerance}. */
    public static void assertCloseTo(JsonNode actual, JsonNode expected, double tolerance) {
        assertCloseTo(actual, expected, tolerance, "");
    }

    private static void assertCloseTo(JsonNode actual, JsonNode expected, double tolerance, String path) {
        if (expected.isFloatingPointNumber()) {
            assertThat(actual.isNumber()).as(path).isTrue();
            assertThat(actual.asDouble()).as(path).isCloseTo(expected.asDouble(), within(tolerance));
        } else if (expected.isContainerNode()) {
            assertThat(actual.getNodeType()).as(path).isEqualTo(expected.getNodeType());
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            if (expected.isArray()) {
                for (int i = 0; i < expected.size(); i++) {
                    assertCloseTo(actual.get(i), expected.get(i), tolerance, path + "[" + i + "]");
                }
            } else {
                assertThat(fieldNames(actual)).as(path).containsExactlyElementsOf(fieldNames(expected));
                expected.fields().forEachRemaining(e -> assertCloseTo(actual.get(e.getKey()), e.getValue(),
                        tolerance, path + "." + e.getKey()));
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }
}
