package io.capstan.infra.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The state machine definitions, read statically (no synthesis, no interpreter): every {@code .sync} service
 * integration passes only fields of the service API it calls. Step Functions forwards Parameters to the API as they
 * are; a misspelt field (or one of another API) fails the execution at that state at run time, in AWS only: the
 * local interpreter hands the Parameters to the embedded platform, which reads the fields it knows. The field lists
 * ({@code src/test/resources/aws-api/}) come from the AWS service models.
 */
class RetrainDefinitionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STEP_FUNCTIONS = Path.of("..", "step-functions");
    /** The request fields of each {@code .sync} integration Capstan uses, by its {@code Resource}. */
    private static final Map<String, String> FIELD_LISTS = Map.of(
            "arn:aws:states:::sagemaker:createTrainingJob.sync", "sagemaker-CreateTrainingJob.fields",
            "arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync",
            "sagemaker-CreateHyperParameterTuningJob.fields",
            "arn:aws:states:::batch:submitJob.sync", "batch-SubmitJob.fields");

    static List<Path> definitions() throws IOException {
        try (Stream<Path> files = Files.list(STEP_FUNCTIONS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".asl.json")).sorted().toList();
        }
    }

    /** The definitions with {@code .sync} integrations: the retraining state machine (batch predictions has none). */
    static List<Path> syncDefinitions() throws IOException {
        return definitions().stream().filter(p -> p.getFileName().toString().equals("retrain.asl.json")).toList();
    }

    @Test
    void definitions_includeTheRetrainingStateMachine() throws IOException {
        assertThat(definitions()).extracting(p -> p.getFileName().toString()).contains("retrain.asl.json",
                "batch-predict.asl.json");
    }

    @ParameterizedTest
    @MethodSource("syncDefinitions")
    void syncIntegrations_parameters_useOnlyTheServiceApisFieldNames(Path definition) throws IOException {
        List<JsonNode> syncTasks = syncTasks(JSON.readTree(Files.readString(definition)));

        assertThat(syncTasks).as("the .sync tasks of %s", definition).isNotEmpty();
        for (JsonNode task : syncTasks) {
            String resource = task.path("Resource").asText();
            assertThat(FIELD_LISTS).as("a field list for %s (add one under src/test/resources/aws-api/)", resource)
                    .containsKey(resource);
            assertThat(unknownFields(task.path("Parameters"), fields(FIELD_LISTS.get(resource))))
                    .as("fields of %s that the API does not have", resource).isEmpty();
        }
    }

    @Test
    void retrain_trainingStates_passTheFieldsTheTrainerContractNeeds() throws IOException {
        JsonNode states = JSON.readTree(Files.readString(STEP_FUNCTIONS.resolve("retrain.asl.json"))).path("States");

        assertThat(paths(states.at("/TrainOnSageMaker/Parameters"), "")).contains(
                "TrainingJobName", "RoleArn", "AlgorithmSpecification.TrainingImage",
                "InputDataConfig[].DataSource.S3DataSource.S3Uri", "OutputDataConfig.S3OutputPath",
                "ResourceConfig.InstanceType", "StoppingCondition.MaxRuntimeInSeconds");
        assertThat(paths(states.at("/TrainOnBatch/Parameters"), "")).contains(
                "JobName", "JobQueue", "JobDefinition", "ContainerOverrides.Environment[].Value",
                "ContainerOverrides.ResourceRequirements", "Timeout.AttemptDurationSeconds");
    }

    @Test
    void retrain_trialTrainingStates_passTheSameFieldsAndTheValidationChannel() throws IOException {
        JsonNode root = JSON.readTree(Files.readString(STEP_FUNCTIONS.resolve("retrain.asl.json"))).path("States");
        JsonNode trials = root.at("/RunTrials/ItemProcessor/States");

        assertThat(paths(trials.at("/TrainTrialOnSageMaker/Parameters"), ""))
                .containsAll(paths(root.at("/TrainOnSageMaker/Parameters"), ""));
        assertThat(trials.at("/TrainTrialOnSageMaker/Parameters/InputDataConfig").findValuesAsText("ChannelName"))
                .containsExactly("train", "validation");
        assertThat(paths(trials.at("/TrainTrialOnBatch/Parameters"), ""))
                .containsAll(paths(root.at("/TrainOnBatch/Parameters"), ""));
        // a failed trial ends its iteration through TrialFailed: the Map itself does not fail
        for (String state : List.of("PrepareTrial", "TrainTrialOnSageMaker", "TrainTrialOnBatch", "ScoreTrial")) {
            assertThat(trials.at("/" + state + "/Catch/0/Next").asText()).as(state).isEqualTo("TrialFailed");
        }
    }

    @Test
    void unknownFields_misspeltOrCamelCaseOrOfAnotherApi_areEachReported() throws IOException {
        JsonNode parameters = JSON.readTree("""
                {"JobName.$": "$.n", "JobQueues": "q", "jobDefinition": "d",
                 "ContainerOverrides": {"Command": ["train"], "Environment": [{"Name": "A", "Valu": "b"}]},
                 "Parameters": {"any": "key"}, "StoppingCondition": {"MaxRuntimeInSeconds": 60}}""");

        assertThat(unknownFields(parameters, fields("batch-SubmitJob.fields"))).containsExactly(
                "JobQueues", "jobDefinition", "ContainerOverrides.Environment[].Valu", "StoppingCondition");
    }

    /** Every Task state whose Resource is a {@code .sync} integration, in nested Parallel and Map states too. */
    private static List<JsonNode> syncTasks(JsonNode definition) {
        List<JsonNode> found = new ArrayList<>();
        definition.findValues("States").forEach(states -> states.forEach(state -> {
            if (state.path("Type").asText().equals("Task") && state.path("Resource").asText().contains(".sync")) {
                found.add(state);
            }
        }));
        return found;
    }

    /**
     * The paths of {@code parameters} that are not fields of the API: {@code a.b} for structures, {@code a[]} for
     * the elements of lists; nothing is checked under a map field, whose keys are free, and a {@code .$} field
     * (a value taken from the state's input) only needs to exist.
     */
    static List<String> unknownFields(JsonNode parameters, Set<String> fields) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(parameters, "", fields, unknown);
        return unknown;
    }

    private static void collectUnknown(JsonNode object, String prefix, Set<String> fields, List<String> unknown) {
        Iterator<Map.Entry<String, JsonNode>> members = object.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            String name = member.getKey().endsWith(".$")
                    ? member.getKey().substring(0, member.getKey().length() - 2) : member.getKey();
            String path = prefix + name;
            JsonNode value = member.getValue();
            if (fields.contains(path + "{}")) {
                continue;
            }
            boolean exists = fields.contains(path) || fields.contains(path + "[]");
            if (!exists) {
                unknown.add(path);
            } else if (value.isObject() && !member.getKey().endsWith(".$")) {
                collectUnknown(value, path + ".", fields, unknown);
            } else if (value.isArray()) {
                for (JsonNode element : value) {
                    if (element.isObject()) {
                        collectUnknown(element, path + "[].", fields, unknown);
                    }
                }
            }
        }
    }

    /** The paths {@code parameters} sets, as {@link #unknownFields} names them. */
    private static List<String> paths(JsonNode parameters, String prefix) {
        List<String> paths = new ArrayList<>();
        parameters.fields().forEachRemaining(member -> {
            String name = member.getKey().replaceFirst("\\.\\$$", "");
            paths.add(prefix + name);
            if (member.getValue().isObject()) {
                paths.addAll(paths(member.getValue(), prefix + name + "."));
            } else if (member.getValue().isArray()) {
                member.getValue().forEach(element -> paths.addAll(paths(element, prefix + name + "[].")));
            }
        });
        return paths;
    }

    /** The field list {@code name} under {@code aws-api/}: one path a line, {@code #} comments. */
    private static Set<String> fields(String name) {
        try (InputStream in = RetrainDefinitionTest.class.getResourceAsStream("/aws-api/" + name)) {
            assertThat(in).as("field list %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
