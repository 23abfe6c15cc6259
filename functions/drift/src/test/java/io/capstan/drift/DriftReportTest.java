package io.capstan.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftReportTest {

    private static DriftReport report() {
        Random random = new Random(9);
        double[] a = random.doubles(3000).toArray();
        double[] b = random.doubles(3000).map(x -> x * 1.5).toArray();
        String[] ca = random.ints(3000, 0, 3).mapToObj(i -> "<k" + i + ">").toArray(String[]::new);
        String[] cb = random.ints(3000, 0, 4).mapToObj(i -> "<k" + i + ">").toArray(String[]::new);
        return DriftDetector.create(DriftConfig.defaults()).compare(
                List.of(Column.numeric("x", a), Column.categorical("c", ca)),
                List.of(Column.numeric("x", b), Column.categorical("c", cb)));
    }

    @Test
    void toJson_report_holdsVerdictsStatisticsAndDatasetVerdict() throws IOException {
        DriftReport report = report();

        JsonNode json = new ObjectMapper().readTree(report.toJson());

        assertThat(json.get("mode").asText()).isEqualTo("exact");
        assertThat(json.get("dataset_drift").asBoolean()).isEqualTo(report.datasetDrift()).isTrue();
        assertThat(json.get("drifted_features").asLong()).isEqualTo(2);
        JsonNode x = json.get("columns").get(0);
        assertThat(x.get("column").asText()).isEqualTo("x");
        assertThat(x.get("method").asText()).isEqualTo("wasserstein");
        assertThat(x.get("verdict").asText()).isEqualTo("drift");
        assertThat(x.get("statistic").asDouble())
                .isEqualTo(report.columns().get(0).decisive().orElseThrow().statistic());
        assertThat(x.get("p_value").isNull()).isTrue();
        assertThat(x.get("tests")).extracting(t -> t.get("method").asText())
                .containsExactly("ks", "wasserstein", "psi", "jensenshannon");
        JsonNode c = json.get("columns").get(1);
        assertThat(c.get("tests").get(0).get("statistic").asText()).as("a new category: infinite chi-square")
                .isEqualTo("Infinity");
    }

    @Test
    void toHtml_report_isSelfContainedWithOneChartPerColumn() {
        String html = report().toHtml();

        assertThat(html).startsWith("<!DOCTYPE html>").contains("Dataset drift detected");
        assertThat(html.split("<svg", -1)).hasSize(3);
        assertThat(html).doesNotContain("<script", "src=", "href=\"http", "@import", "url(", "<link");
        assertThat(html).contains("&lt;k3&gt;").doesNotContain("<k3>");
    }
}
