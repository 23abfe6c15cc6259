package io.capstan.infra.pipeline;

import static io.capstan.infra.testutils.Templates.actions;
import static io.capstan.infra.testutils.Templates.assertDistributedMapStateMachine;
import static io.capstan.infra.testutils.Templates.statementsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.FunctionId;
import io.capstan.infra.CapstanApp;
import io.capstan.infra.testutils.SharedApp;
import io.capstan.monitoring.ProfileStateMachine;
import io.capstan.storage.KeyPrefixes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The distributed drift check's state machine and tasks function as synthesized: the ASL file with the tasks alias
 * substituted, a Distributed Map; the tasks function on the drift jar and handler, with the drift function's access
 * and no more (reports written only under reports/, nothing deleted).
 */
class DriftProfilesTest {
    private static CapstanApp.Stacks stacks;
    private static Template pipeline;

    @BeforeAll
    static void synthesize() {
        stacks = SharedApp.stacks();
        pipeline = SharedApp.template(stacks.pipeline());
    }

    @Test
    void stateMachine_isTheFileAsWritten_aDistributedMap_loggedAndTraced() {
        assertDistributedMapStateMachine(pipeline, DriftProfiles.STATE_MACHINE_NAME,
                ProfileStateMachine.TASKS_FUNCTION);
    }

    @Test
    void tasks_runTheDriftJar_withTheDriftFunctionsAccessOnly() {
        DriftProfiles profiles = stacks.pipeline().driftProfiles();
        pipeline.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", FunctionId.DRIFT.lambdaHandler(), "MemorySize", DriftProfiles.TASKS_MEMORY_MIB,
                "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        List<Map<String, Object>> statements = statementsOf(pipeline, profiles.tasks().role());
        assertThat(statements).filteredOn(s -> actions(s).contains("s3:PutObject")).singleElement()
                .satisfies(s -> assertThat(s.get("Resource").toString()).contains("/" + KeyPrefixes.REPORTS + "*"));
        assertThat(statements).flatExtracting(s -> actions(s)).noneMatch(a -> a.startsWith("s3:DeleteObject"))
                .filteredOn(a -> a.startsWith("states:")).containsExactly("states:StartExecution");
        List<Map<String, Object>> machine = statementsOf(pipeline, profiles.stateMachine().getNode()
                .findChild("Role"));
        assertThat(machine).flatExtracting(s -> actions(s)).contains("lambda:InvokeFunction",
                "states:StartExecution", "states:DescribeExecution", "states:StopExecution");
        // the Map's ItemReader reads the plan in the check's folder, and nothing else of the buckets
        assertThat(machine).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("s3:GetObject")))
                .singleElement().satisfies(s -> assertThat(s.get("Resource").toString())
                        .contains("/" + KeyPrefixes.REPORTS + "*"));
    }
}
