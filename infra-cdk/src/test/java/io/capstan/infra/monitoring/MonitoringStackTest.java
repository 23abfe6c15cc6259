package io.capstan.infra.monitoring;

import static io.capstan.infra.testutils.Templates.getAtt;
import static io.capstan.infra.testutils.Templates.logicalId;
import static io.capstan.infra.testutils.Templates.properties;
import static io.capstan.infra.testutils.Templates.propertiesOf;
import static io.capstan.infra.testutils.Templates.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.FunctionId;
import io.capstan.infra.CapstanApp;
import io.capstan.infra.api.ApiStack;
import io.capstan.infra.testutils.SharedApp;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.QualityMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.events.Rule;

class MonitoringStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ApiStack api;
    private static MonitoringStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        CapstanApp.Stacks stacks = SharedApp.stacks();
        api = stacks.api();
        stack = stacks.monitoring();
        template = SharedApp.template(stack);
    }

    @Test
    void alarmTopic_isEncryptedWithAKeyCloudWatchMayUseAndRefusesRequestsWithoutTls() {
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", getAtt(stack.key().key(), "Arn")));
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "EnableKeyRotation", true,
                "KeyPolicy", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*")))))))));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of(
                "Topics", List.of(ref(stack.alarmTopic())),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        template.hasOutput("AlarmTopicArn", Map.of("Value", ref(stack.alarmTopic())));
    }

    @Test
    @SuppressWarnings("unchecked")
    void alarmTopicPolicy_letsCloudWatchPublishForThisAccountsAlarmsOnly() throws Exception {
        Map<String, Map<String, Object>> policies = template.findResources("AWS::SNS::TopicPolicy",
                Map.of("Properties", Map.of("Topics", List.of(ref(stack.alarmTopic())))));
        assertThat(policies).hasSize(1);
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) properties(
                policies.values().iterator().next()).get("PolicyDocument")).get("Statement");

        assertThat(statements).filteredOn(s -> "Allow".equals(s.get("Effect"))).singleElement().satisfies(allow -> {
            assertThat(allow).containsEntry("Principal", Map.of("Service", "cloudwatch.amazonaws.com"))
                    .containsEntry("Action", "sns:Publish")
                    .containsEntry("Resource", ref(stack.alarmTopic()));
            Map<String, Object> condition = (Map<String, Object>) allow.get("Condition");
            assertThat(condition).containsOnlyKeys("StringEquals", "ArnLike")
                    .containsEntry("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")));
            // arn:<partition>:cloudwatch:<region>:<account>:alarm:*
            assertThat(JSON.writeValueAsString(((Map<String, Object>) condition.get("ArnLike")).get("aws:SourceArn")))
                    .isEqualTo("{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":cloudwatch:\","
                            + "{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"},\":alarm:*\"]]}");
        });
        // the alarms publish to this topic: it is their action, when they fire and when they clear
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", List.of(ref(stack.alarmTopic())), "OKActions", List.of(ref(stack.alarmTopic())))));
    }

    @Test
    void predictAlarms_errorsThrottlesAndP99DurationOfThePredictFunction() {
        assertPredictAlarm(stack.predictErrors(), "Errors", "Statistic", "Sum", 1, 1);
        assertPredictAlarm(stack.predictThrottles(), "Throttles", "Statistic", "Sum", 1, 1);
        assertPredictAlarm(stack.predictP99Duration(), "Duration", "ExtendedStatistic", "p99",
                MonitoringStack.PREDICT_P99_DURATION_MS, MonitoringStack.PREDICT_P99_PERIODS);
    }

    @Test
    void apiAlarms_serverErrorsOfBothApis() {
        assertThat(stack.apiServerErrors()).containsOnlyKeys("TokenApi", "IamApi");
        for (var api : List.of(api.tokenApi().api(), api.iamApi().api())) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Namespace", "AWS/ApiGateway",
                    "MetricName", "5xx",
                    "Statistic", "Sum",
                    "Period", 300,
                    "Threshold", MonitoringStack.API_5XX_THRESHOLD,
                    "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                    "TreatMissingData", "notBreaching",
                    "Dimensions", List.of(Map.of("Name", "ApiId", "Value", Map.of("Fn::ImportValue",
                            Match.stringLikeRegexp(".*" + logicalId(api) + ".*")))))));
        }
    }

    @Test
    void alarms_allTellTheAlarmTopicWhenTheyFireAndClear() {
        Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm");

        assertThat(alarms).hasSize(2 + 3 + 2 + 1);
        assertThat(alarms.values()).allSatisfy(alarm -> assertThat(properties(alarm))
                .containsEntry("AlarmActions", List.of(ref(stack.alarmTopic())))
                .containsEntry("OKActions", List.of(ref(stack.alarmTopic()))));
    }

    @Test
    void driftSchedules_oneRulePerScheduleInvokingTheDriftAliasWithTheScheduleEvent() throws Exception {
        assertThat(stack.driftRules()).containsOnlyKeys("*", SharedApp.SCHEDULED_MODEL);
        assertDriftRule("*", "rate(1 hour)");
        assertDriftRule(SharedApp.SCHEDULED_MODEL, SharedApp.SCHEDULED_MODEL_RATE);
        template.resourceCountIs("AWS::Events::Rule", 2 + 2);
    }

    @Test
    void driftSchedules_allModelsInput_isTheCommittedSampleScheduleEvent() throws Exception {
        JsonNode sample = JSON.readTree(Path.of("..", "events", "schedule", "drift-all-models.json").toFile());

        assertThat(JSON.readTree(input("*"))).isEqualTo(sample);
    }

    @Test
    void driftSchedules_eachRuleMayInvokeTheDriftAlias() {
        for (String model : List.of("*", SharedApp.SCHEDULED_MODEL)) {
            template.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                    "Action", "lambda:InvokeFunction",
                    "Principal", "events.amazonaws.com",
                    "FunctionName", Map.of("Fn::ImportValue", Match.stringLikeRegexp(
                            ".*" + logicalId(api.function(FunctionId.DRIFT).alias()) + ".*")),
                    "SourceArn", getAtt(stack.driftRules().get(model), "Arn")));
        }
    }

    @Test
    void driftAlarms_onePerNamedModelOnItsDimensionAndOneOverAllModels() {
        assertThat(stack.driftAlarms()).containsOnlyKeys(SharedApp.SCHEDULED_MODEL);
        assertDriftAlarm(stack.driftAlarms().get(SharedApp.SCHEDULED_MODEL),
                Map.of("Name", DriftMetrics.MODEL_DIMENSION, "Value", SharedApp.SCHEDULED_MODEL));
        assertDriftAlarm(stack.allModelsDrift(),
                Map.of("Name", DriftMetrics.SERVICE_DIMENSION, "Value", DriftMetrics.SERVICE));
    }

    @Test
    void qualitySchedules_invokeTheQualityAlias_withTheScheduleEvent_andTheNamedModelHasItsAccuracyAlarm()
            throws Exception {
        assertThat(stack.qualityRules()).containsOnlyKeys("*", SharedApp.SCHEDULED_MODEL);
        JsonNode sample = JSON.readTree(Path.of("..", "events", "schedule", "quality-all-models.json").toFile());
        assertThat(JSON.readTree(target(stack.qualityRules(), "*").get("Input").toString())).isEqualTo(sample);
        assertThat(JSON.readTree(target(stack.qualityRules(), SharedApp.SCHEDULED_MODEL).get("Input").toString()))
                .isEqualTo(JSON.createObjectNode().put("source", QualitySchedule.EVENT_SOURCE)
                        .put("model", SharedApp.SCHEDULED_MODEL).put("window_hours", 6));
        assertThat(target(stack.qualityRules(), "*").get("Arn")).asString()
                .contains(logicalId(api.function(FunctionId.QUALITY).alias()));
        template.hasResourceProperties("AWS::Lambda::Permission", Map.of("Action", "lambda:InvokeFunction",
                "Principal", "events.amazonaws.com", "SourceArn", getAtt(stack.qualityRules().get("*"), "Arn")));

        assertThat(stack.qualityAlarms()).containsOnlyKeys(SharedApp.SCHEDULED_MODEL);
        Map<String, Object> alarm = propertiesOf(template, "AWS::CloudWatch::Alarm",
                stack.qualityAlarms().get(SharedApp.SCHEDULED_MODEL));
        assertThat(alarm).containsEntry("Namespace", QualityMetrics.NAMESPACE)
                .containsEntry("MetricName", QualityMetrics.ACCURACY)
                .containsEntry("Dimensions", List.of(Map.of("Name", QualityMetrics.MODEL_DIMENSION,
                        "Value", SharedApp.SCHEDULED_MODEL)))
                .containsEntry("Statistic", "Minimum")
                .containsEntry("ComparisonOperator", "LessThanThreshold")
                .containsEntry("TreatMissingData", "ignore");
        assertThat(((Number) alarm.get("Threshold")).doubleValue()).isEqualTo(0.9);
    }

    private static void assertPredictAlarm(Alarm alarm, String metric, String statisticKey, String statistic,
                                           double threshold, int periods) {
        Map<String, Object> properties = propertiesOf(template, "AWS::CloudWatch::Alarm", alarm);

        assertThat(properties).containsEntry("Namespace", "AWS/Lambda")
                .containsEntry("MetricName", metric)
                .containsEntry(statisticKey, statistic)
                .containsEntry("Period", 300)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("EvaluationPeriods", periods)
                .containsEntry("DatapointsToAlarm", periods)
                .containsEntry("TreatMissingData", "notBreaching");
        assertThat(((Number) properties.get("Threshold")).doubleValue()).isEqualTo(threshold);
        assertThat(properties.get("Dimensions")).asString().contains("FunctionName")
                .contains(logicalId(api.function(FunctionId.PREDICT).function()));
    }

    private static void assertDriftAlarm(Alarm alarm, Map<String, Object> dimension) {
        Map<String, Object> properties = propertiesOf(template, "AWS::CloudWatch::Alarm", alarm);

        assertThat(properties).containsEntry("Namespace", DriftMetrics.NAMESPACE)
                .containsEntry("MetricName", DriftMetrics.DATASET_DRIFT)
                .containsEntry("Dimensions", List.of(dimension))
                .containsEntry("Statistic", "Maximum")
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("TreatMissingData", "ignore");
        assertThat(((Number) properties.get("Threshold")).doubleValue()).isEqualTo(1.0);
    }

    private static void assertDriftRule(String model, String expression) throws Exception {
        Map<String, Object> rule = propertiesOf(template, "AWS::Events::Rule", stack.driftRules().get(model));

        assertThat(rule).containsEntry("ScheduleExpression", expression);
        assertThat(JSON.readTree(input(model))).isEqualTo(JSON.createObjectNode()
                .put("source", DriftSchedule.EVENT_SOURCE).put("model", model));
        assertThat(target(model).get("Arn")).asString().contains("Fn::ImportValue")
                .contains(logicalId(api.function(FunctionId.DRIFT).alias()));
    }

    private static String input(String model) {
        return (String) target(model).get("Input");
    }

    private static Map<String, Object> target(String model) {
        return target(stack.driftRules(), model);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> target(Map<String, Rule> rules, String model) {
        Map<String, Object> rule = propertiesOf(template, "AWS::Events::Rule", rules.get(model));
        List<Map<String, Object>> targets = (List<Map<String, Object>>) rule.get("Targets");
        assertThat(targets).hasSize(1);
        return targets.get(0);
    }
}
