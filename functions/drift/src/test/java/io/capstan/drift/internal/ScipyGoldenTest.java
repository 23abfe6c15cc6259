package io.capstan.drift.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.profile.internal.SortedColumns;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares every statistic with {@code golden/scipy-drift.json}, written by {@code src/test/python/make_golden.py}
 * with Debian's SciPy (version recorded in the file), to 1e-9 relative.
 */
class ScipyGoldenTest {
    private static final double RELATIVE = 1e-9;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ScipyGoldenTest.class.getClassLoader().getResourceAsStream("golden/scipy-drift.json")) {
            golden = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        }
    }

    static Stream<String> numericCases() throws IOException {
        load();
        List<String> names = new ArrayList<>();
        golden.get("numeric").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    static Stream<String> categoricalCases() throws IOException {
        load();
        List<String> names = new ArrayList<>();
        golden.get("categorical").forEach(c -> names.add(c.get("name").asText()));
        return names.stream();
    }

    @Test
    void goldenFile_loaded_recordsTheScipyVersion() {
        assertThat(golden.get("scipy_version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numericCases")
    void ksTest_goldenSamples_matchesScipyKs2samp(String name) {
        JsonNode c = numericCase(name);
        double[] a = sample(c, "a");
        double[] b = sample(c, "b");

        KolmogorovSmirnov.Result ks = KolmogorovSmirnov.test(a, b);

        assertClose(ks.statistic(), c.get("ks").asDouble(), name + " D");
        assertClose(ks.pValue(), c.get("ks_p").asDouble(), name + " p-value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numericCases")
    void distances_goldenSamples_matchPython(String name) {
        JsonNode c = numericCase(name);
        double[] a = sample(c, "a");
        double[] b = sample(c, "b");
        double std = SortedColumns.meanAndStd(a)[1];

        assertClose(NumericStatistics.normedWasserstein(a, b, std), c.get("wasserstein").asDouble(), name + " W");
        assertClose(NumericStatistics.psi(a, b), c.get("psi").asDouble(), name + " PSI");
        assertClose(NumericStatistics.jensenShannon(a, b, SortedColumns.distinctCount(a)),
                c.get("jensenshannon").asDouble(), name + " JS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("categoricalCases")
    void categoryTests_goldenSamples_matchEvidentlyAndScipy(String name) {
        JsonNode c = null;
        for (JsonNode n : golden.get("categorical")) {
            c = n.get("name").asText().equals(name) ? n : c;
        }

        CategoryStatistics stats = new CategoryStatistics(counts(c.get("reference")), counts(c.get("current")));

        double[] chi = stats.chiSquare();
        assertClose(chi[0], c.get("chisquare").asDouble(), name + " chi2");
        assertClose(chi[1], c.get("chisquare_p").asDouble(), name + " chi2 p");
        assertClose(stats.psi(), c.get("psi").asDouble(), name + " PSI");
        assertClose(stats.jensenShannon(), c.get("jensenshannon").asDouble(), name + " JS");
        if (c.has("z")) {
            double[] z = new CategoryStatistics(counts(c.get("reference")), counts(c.get("current"))).zTest();
            assertClose(Math.abs(z[0]), Math.abs(c.get("z").asDouble()), name + " z");
            assertClose(z[1], c.get("z_p").asDouble(), name + " z p");
        }
    }

    @Test
    void kolmogorovSf_allScipyBranches_matchKstwoSf() {
        for (JsonNode c : golden.get("kstwo_sf")) {
            int n = c.get("n").asInt();
            double d = c.get("d").asDouble();

            assertClose(KolmogorovDistribution.sf(n, d), c.get("sf").asDouble(), "kstwo.sf(" + d + ", " + n + ")");
        }
    }

    @Test
    void limitingSf_acrossBothSeries_matchesKstwobignSf() {
        for (JsonNode c : golden.get("kstwobign_sf")) {
            double y = c.get("y").asDouble();

            assertClose(KolmogorovDistribution.limitingSf(y), c.get("sf").asDouble(), "kstwobign.sf(" + y + ")");
        }
    }

    @Test
    void exactTwoSample_largeAndUnequalSizes_matchScipy() {
        for (JsonNode c : golden.get("exact_two_sample")) {
            long n1 = c.get("n1").asLong();
            long n2 = c.get("n2").asLong();
            if (!c.get("ok").asBoolean()) {
                continue;
            }

            KolmogorovSmirnov.Result r = KolmogorovSmirnov.pValue(c.get("d").asDouble(), n1, n2);

            String label = "exact(" + n1 + ", " + n2 + ", " + c.get("d").asDouble() + ")";
            assertClose(r.statistic(), c.get("d_rounded").asDouble(), label + " D");
            assertClose(r.pValue(), c.get("p").asDouble(), label + " p");
        }
    }

    private static JsonNode numericCase(String name) {
        for (JsonNode c : golden.get("numeric")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static double[] sample(JsonNode c, String field) {
        double scale = c.get("scale").asDouble();
        double[] out = new double[c.get(field).size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.get(field).get(i).asLong() / scale;
        }
        java.util.Arrays.sort(out);
        return out;
    }

    private static Map<String, Long> counts(JsonNode values) {
        Map<String, Long> counts = new HashMap<>();
        values.forEach(v -> counts.merge(v.asText(), 1L, Long::sum));
        return counts;
    }

    private static void assertClose(double actual, double expected, String what) {
        if (actual != expected) {
            assertThat(Math.abs(actual - expected)).as("%s: %s vs SciPy %s", what, actual, expected)
                    .isLessThanOrEqualTo(RELATIVE * Math.abs(expected));
        }
    }
}
