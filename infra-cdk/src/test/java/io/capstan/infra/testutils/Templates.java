package io.capstan.infra.testutils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** Reading synthesized templates: logical IDs, references, resources' properties and policy statements. */
public final class Templates {

    private Templates() {
    }

    /** The logical ID of {@code construct}'s CloudFormation resource (its default child, or itself). */
    public static String logicalId(IConstruct construct) {
        IConstruct child = construct.getNode().getDefaultChild();
        CfnElement element = (CfnElement) (child == null ? construct : child);
        return Stack.of(element).getLogicalId(element);
    }

    /** {@code {"Ref": <logical ID>}}. */
    public static Map<String, Object> ref(IConstruct construct) {
        return Map.of("Ref", logicalId(construct));
    }

    /** {@code {"Fn::GetAtt": [<logical ID>, attribute]}}. */
    public static Map<String, Object> getAtt(IConstruct construct, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId(construct), attribute));
    }

    /** The resource with {@code construct}'s logical ID, of {@code type}. */
    public static Map<String, Object> resource(Template template, String type, IConstruct construct) {
        Map<String, Object> found = template.findResources(type).get(logicalId(construct));
        if (found == null) {
            throw new AssertionError(type + " " + logicalId(construct) + " is not in the template");
        }
        return found;
    }

    /** The {@code Properties} of {@code construct}'s resource. */
    public static Map<String, Object> propertiesOf(Template template, String type, IConstruct construct) {
        return properties(resource(template, type, construct));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    /** Every statement of every {@code AWS::IAM::Policy} attached to {@code role}. */
    public static List<Map<String, Object>> statementsOf(Template template, IConstruct role) {
        String roleId = logicalId(role);
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().stream()
                .filter(policy -> String.valueOf(properties(policy).get("Roles")).contains(roleId))
                .forEach(policy -> statements.addAll(statements(policy)));
        return statements;
    }

    /** The statements of one policy resource. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> statements(Map<String, Object> policy) {
        Map<String, Object> document = (Map<String, Object>) properties(policy).get("PolicyDocument");
        return (List<Map<String, Object>>) document.get("Statement");
    }

    /** Every statement of every policy in {@code template}. */
    public static List<Map<String, Object>> allStatements(Template template) {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().forEach(policy -> statements.addAll(statements(policy)));
        return statements;
    }

    /** The actions of a statement, as a list whether the template holds one or several. */
    public static List<String> actions(Map<String, Object> statement) {
        return asList(statement.get("Action")).stream().map(String::valueOf).toList();
    }

    /** The resources of a statement, as a list whether the template holds one or several. */
    public static List<Object> resources(Map<String, Object> statement) {
        return asList(statement.get("Resource"));
    }

    public static List<Object> asList(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : value == null ? List.of() : List.of(value);
    }

    /**
     * Asserts a state machine named {@code name} from an ASL file with a Distributed Map, its tasks function given as
     * the {@code substitution} variable, logged at level ALL with its data and traced with X-Ray.
     */
    public static void assertDistributedMapStateMachine(Template template, String name, String substitution) {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "StateMachineName", name,
                "DefinitionString", Match.stringLikeRegexp(".*\"Mode\": *\"DISTRIBUTED\".*"),
                "DefinitionSubstitutions", Map.of(substitution, Match.anyValue()),
                "LoggingConfiguration", Match.objectLike(Map.of("Level", "ALL", "IncludeExecutionData", true)),
                "TracingConfiguration", Map.of("Enabled", true)));
    }
}
