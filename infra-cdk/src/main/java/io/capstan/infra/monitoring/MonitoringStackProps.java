package io.capstan.infra.monitoring;

import io.capstan.infra.function.CapstanFunction;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.apigatewayv2.IHttpApi;

/**
 * What the monitoring stack watches and schedules.
 *
 * @param apis           the HTTP APIs by name (alarms on their 5xx answers: a function's handled errors never count as
 *                       Lambda errors)
 * @param predict        the predict function (alarms on its errors, throttles and p99 duration)
 * @param drift          the drift function (invoked by the schedules)
 * @param driftSchedules the scheduled checks; a drift alarm per named model, one over all models
 * @param quality          the quality function (invoked by its schedules)
 * @param qualitySchedules the scheduled quality checks; an alarm per named model with a threshold
 */
public record MonitoringStackProps(Map<String, IHttpApi> apis, CapstanFunction predict, CapstanFunction drift,
                                   List<DriftSchedule> driftSchedules, CapstanFunction quality,
                                   List<QualitySchedule> qualitySchedules) {

    public MonitoringStackProps {
        apis = Map.copyOf(apis);
        Objects.requireNonNull(predict, "predict");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(quality, "quality");
        driftSchedules = List.copyOf(driftSchedules);
        qualitySchedules = List.copyOf(qualitySchedules);
        if (driftSchedules.stream().map(DriftSchedule::model).distinct().count() != driftSchedules.size()) {
            throw new IllegalArgumentException("a model is scheduled twice: " + driftSchedules);
        }
        if (qualitySchedules.stream().map(QualitySchedule::model).distinct().count() != qualitySchedules.size()) {
            throw new IllegalArgumentException("a model's quality is scheduled twice: " + qualitySchedules);
        }
    }
}
