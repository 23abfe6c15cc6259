package io.capstan.infra.pipeline;

import io.capstan.infra.encryption.StackKey;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.infra.nag.NagFindings;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * A state machine whose work is a Distributed Map of one tasks function's invocations (batch predictions, distributed
 * drift checks): a fixed name, so its role may start its own map runs; logged at level ALL to an encrypted log
 * group; traced; the tasks function's alias invocable.
 */
final class DistributedMapStateMachine {
    private DistributedMapStateMachine() {
    }

    /**
     * @param name          the state machine's name
     * @param definition    the ASL text
     * @param substitutions the definition's variables
     * @param tasks         the function its Task states invoke
     */
    static StateMachine create(Construct scope, String name, String comment, String definition,
                               Map<String, String> substitutions, CapstanFunction tasks, StackKey key) {
        StateMachine stateMachine = StateMachine.Builder.create(scope, "StateMachine")
                .stateMachineName(name)
                .comment(comment)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(definition))
                .definitionSubstitutions(substitutions)
                .logs(LogOptions.builder()
                        .destination(key.encryptedLogGroup(scope, "ExecutionLogs",
                                RetrainingStateMachine.LOG_RETENTION))
                        .level(LogLevel.ALL)
                        .includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .build();
        tasks.alias().grantInvoke(stateMachine);
        Stack stack = Stack.of(scope);
        // a Distributed Map starts its children as executions of this state machine's map runs
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("DistributedMapRuns")
                .actions(List.of("states:StartExecution"))
                .resources(List.of(arn(stack, name)))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("DistributedMapChildren")
                .actions(List.of("states:DescribeExecution", "states:StopExecution"))
                .resources(List.of(stack.formatArn(ArnComponents.builder().service("states").resource("execution")
                        .resourceName(name + "/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build())))
                .build());
        NagFindings.suppress(stateMachine, NagFindings.IAM5, "Reviewed wildcards of the " + name + " state machine's "
                + "role. A Distributed Map's child executions are named per map run (execution:" + name
                + "/<map run>:<child>), so following and stopping them needs that prefix. CDK's grantInvoke covers the "
                + "tasks alias and its versions (:*). CloudWatch Logs delivery and X-Ray tracing are only grantable on"
                + " \"*\".", List.of(NagFindings.resource("*"),
                        NagFindings.resourceMatching("arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:"
                                + "execution:" + name + "\\/\\*"),
                        NagFindings.resourceMatching(".*:\\*")));
        return stateMachine;
    }

    /** The state machine's ARN from its fixed name (no reference to the resource, so no cycle through its role). */
    static String arn(Stack stack, String name) {
        return stack.formatArn(ArnComponents.builder().service("states").resource("stateMachine")
                .resourceName(name).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    }
}
