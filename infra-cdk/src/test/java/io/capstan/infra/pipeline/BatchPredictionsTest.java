package io.capstan.infra.pipeline;

import static io.capstan.infra.testutils.Templates.actions;
import static io.capstan.infra.testutils.Templates.assertDistributedMapStateMachine;
import static io.capstan.infra.testutils.Templates.logicalId;
import static io.capstan.infra.testutils.Templates.statementsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.batch.BatchStateMachine;
import io.capstan.http.FunctionId;
import io.capstan.infra.CapstanApp;
import io.capstan.infra.testutils.SharedApp;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The batch prediction state machine and its tasks function as synthesized: the ASL file as written with the tasks
 * alias substituted, a Distributed Map; the tasks function from the predict jar, reaching the registry read-only, the
 * capture prefixes write-only and the batch locations only; the batch API starting and reading only the batch state
 * machine's executions; a location that is not a prefix refused.
 */
class BatchPredictionsTest {
    private static CapstanApp.Stacks stacks;
    private static Template pipeline;
    private static Template api;

    @BeforeAll
    static void synthesize() {
        stacks = SharedApp.stacks();
        pipeline = SharedApp.template(stacks.pipeline());
        api = SharedApp.template(stacks.api());
    }

    @Test
    void stateMachine_isTheFileAsWritten_aDistributedMap_loggedAndTraced() {
        assertDistributedMapStateMachine(pipeline, BatchPredictions.STATE_MACHINE_NAME,
                BatchStateMachine.TASKS_FUNCTION);
    }

    @Test
    void tasks_runThePredictJar_andReachOnlyTheRegistryTheCapturePrefixesAndTheLocations() {
        BatchPredictions batch = stacks.pipeline().batchPredictions();
        pipeline.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", BatchPredictions.TASKS_HANDLER, "MemorySize", BatchPredictions.TASKS_MEMORY_MIB,
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        List<Map<String, Object>> statements = statementsOf(pipeline, batch.tasks().role());
        String s3 = statements.stream().filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:")))
                .map(Object::toString).reduce("", String::concat);
        assertThat(s3).contains("/" + KeyPrefixes.REGISTRY + "*", "/" + KeyPrefixes.PREDICTIONS + "*",
                "/" + KeyPrefixes.BATCH + "*", "arn:aws:s3:::partner-scores/capstan/*");
        assertThat(statements).filteredOn(s -> actions(s).contains("s3:PutObject")).allSatisfy(s ->
                assertThat(s.get("Resource").toString()).containsAnyOf("/" + KeyPrefixes.PREDICTIONS + "*",
                        "/" + KeyPrefixes.CAPTURE + "*", "/" + KeyPrefixes.BATCH + "*", "partner-scores/capstan/*")
                        .doesNotContain("/" + KeyPrefixes.REGISTRY));
        assertThat(statements).filteredOn(s -> actions(s).contains("s3:ListBucket")).allSatisfy(s ->
                assertThat(s.toString()).contains("s3:prefix", "capstan/*"));
        assertThat(statements).flatExtracting(s -> actions(s)).noneMatch(a -> a.startsWith("dynamodb:Put")
                || a.startsWith("dynamodb:Update") || a.startsWith("s3:DeleteObject") || a.startsWith("states:"));
        List<Map<String, Object>> machine = statementsOf(pipeline, batch.stateMachine().getNode().findChild("Role"));
        assertThat(machine).flatExtracting(s -> actions(s)).contains("lambda:InvokeFunction",
                "states:StartExecution", "states:DescribeExecution", "states:StopExecution");
        // the Map's ItemReader reads the plan under the job's output: the batch locations, read-only
        assertThat(machine).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:GetObject")))
                .isNotEmpty().allSatisfy(s -> assertThat(s.get("Resource").toString()).containsAnyOf(
                        "/" + KeyPrefixes.BATCH + "*", "partner-scores/capstan/*"));
        assertThat(machine).flatExtracting(s -> actions(s)).noneMatch(a -> a.startsWith("s3:Put"));
    }

    @Test
    void batchApi_startsAndReadsOnlyTheBatchStateMachine_andKeepsItsJobsUnderBatch() {
        List<Map<String, Object>> statements = statementsOf(api, stacks.api().function(FunctionId.BATCH).role());
        assertThat(statements).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("states:")))
                .isNotEmpty().allSatisfy(s -> assertThat(s.get("Resource").toString())
                        .contains(logicalId(stacks.pipeline().batchPredictions().stateMachine())));
        assertThat(statements).filteredOn(s -> actions(s).contains("s3:PutObject")).singleElement()
                .satisfies(s -> assertThat(s.get("Resource").toString())
                        .contains(logicalId(stacks.storage().bucket(BucketDefinition.ARTIFACTS)),
                                "/" + KeyPrefixes.BATCH + "*"));
    }

    @Test
    void aLocationThatIsNotAPrefix_isRefused() {
        App app = CapstanApp.newApp(Map.of(BatchLocationSettings.CONTEXT_KEY, "[\"s3://partner-scores/file.csv\"]"));
        assertThatThrownBy(() -> BatchLocationSettings.fromContext(app))
                .hasMessageContaining(BatchLocationSettings.CONTEXT_KEY).hasMessageContaining("prefix");
        App bucket = CapstanApp.newApp(Map.of(BatchLocationSettings.CONTEXT_KEY, "[\"s3://partner-scores/\"]"));
        assertThatThrownBy(() -> BatchLocationSettings.fromContext(bucket)).hasMessageContaining("whole bucket");
    }
}
