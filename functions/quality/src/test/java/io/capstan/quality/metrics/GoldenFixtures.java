package io.capstan.quality.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The golden fixtures under {@code quality-fixtures/}, written by {@code scripts/quality/make_fixtures.py} with
 * scikit-learn, NumPy and SciPy; see that script's header to rerun it.
 */
final class GoldenFixtures {
    /** Absolute below 1, relative above. */
    static final double TOLERANCE = 1e-9;

    private GoldenFixtures() {
    }

    static JsonNode json(String path) {
        try (InputStream in = open(path)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSV's rows after the header, split on commas (the fixtures hold no quoted fields). */
    static List<String[]> csv(String path) {
        try (InputStream in = open(path)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<String[]> rows = new ArrayList<>();
            Arrays.stream(lines).skip(1).filter(l -> !l.isBlank()).forEach(l -> rows.add(l.split(",", -1)));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertClose(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as("%s: %s against %s", what, actual, expected)
                .isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(expected)));
    }

    private static InputStream open(String path) {
        InputStream in = GoldenFixtures.class.getClassLoader().getResourceAsStream("quality-fixtures/" + path);
        if (in == null) {
            throw new IllegalStateException("missing fixture quality-fixtures/" + path
                    + "; run /usr/bin/python3 scripts/quality/make_fixtures.py");
        }
        return in;
    }
}
