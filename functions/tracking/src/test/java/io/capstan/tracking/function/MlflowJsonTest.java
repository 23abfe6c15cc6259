package io.capstan.tracking.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.http.HttpResponse;
import io.capstan.http.RequestFields;
import io.capstan.tracking.Metric;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MlflowJsonTest {

    @Test
    void ok_metricValues_readBackAsTheSameDoubles() throws Exception {
        List<Double> values = List.of(0.1, 1.0 / 3, 2e23, 1e-7, 5e-324, Double.MAX_VALUE, -0.0, 100.0, 1.0E7,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        List<Metric> points = IntStream.range(0, values.size())
                .mapToObj(i -> new Metric("m", values.get(i), i, i)).toList();

        HttpResponse response = MlflowJson.ok(MlflowJson.object().set("metrics", MlflowJson.metrics(points)));

        assertThat(response.headers()).containsEntry("Content-Type", HttpResponse.JSON);
        JsonNode metrics = RequestFields.JSON.readTree(response.body()).get("metrics");
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = metrics.get(i).get("value");
            double read = value.isTextual() ? Double.parseDouble(value.asText()) : value.doubleValue();
            assertThat(Double.doubleToLongBits(read)).as("value %s", values.get(i))
                    .isEqualTo(Double.doubleToLongBits(values.get(i)));
        }
    }

    @Test
    void ok_doubles_writtenInTheirShortestForm() {
        HttpResponse response = MlflowJson.ok(MlflowJson.object().set("metrics",
                MlflowJson.metrics(List.of(new Metric("m", 0.1, 1, 0), new Metric("m", 2e23, 2, 1)))));

        assertThat(response.bodyAsString()).contains("\"value\":0.1,").contains("\"value\":2.0E23,");
    }
}
