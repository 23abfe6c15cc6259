package io.capstan.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.http.RouteTable;
import io.capstan.infra.api.ApiStack;
import io.capstan.infra.api.ApiStackProps;
import io.capstan.infra.pipeline.BatchLocationSettings;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.function.Placeholders;
import io.capstan.infra.pipeline.PipelineSources;
import io.capstan.infra.pipeline.PipelineStack;
import io.capstan.infra.storage.StorageDefinitions;
import io.capstan.infra.storage.StorageStack;
import io.capstan.infra.testutils.SharedApp;
import io.capstan.infra.testutils.TestApps;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.services.stepfunctions.StateMachine;

/** Properties of the app as a whole: deterministic synth, one-way stack order, clear failures, nag-clean indexes. */
class CapstanAppTest {

    @Test
    void define_againFromTheSameInputs_synthesizesIdenticalTemplates() {
        CapstanApp.Stacks first = SharedApp.stacks();
        App app = SharedApp.newApp();
        CapstanApp.Stacks second = CapstanApp.define(app);
        CloudAssembly assembly = app.synth();

        for (int i = 0; i < first.all().size(); i++) {
            Stack stack = second.all().get(i);
            assertThat(assembly.getStackArtifact(stack.getArtifactId()).getTemplate()).as(stack.getStackName())
                    .isEqualTo(SharedApp.templateJson(first.all().get(i)));
        }
    }

    @Test
    void define_stacks_dependOnlyOnStacksDefinedBeforeThem() {
        CapstanApp.Stacks stacks = SharedApp.stacks();

        assertThat(stacks.all()).extracting(Stack::getStackName)
                .containsExactly("CapstanStorage", "CapstanPipeline", "CapstanApi", "CapstanMonitoring");
        assertThat(stacks.storage().getDependencies()).isEmpty();
        assertThat(stacks.pipeline().getDependencies()).containsExactly(stacks.storage());
        assertThat(stacks.api().getDependencies()).containsExactlyInAnyOrder(stacks.storage(), stacks.pipeline());
        assertThat(stacks.monitoring().getDependencies()).containsExactly(stacks.api());
    }

    @Test
    void define_jarNotBuilt_failsNamingTheJarAndTheBuildCommand(@TempDir Path emptyDir) {
        Path trainer = TestApps.writeStandInTrainer(emptyDir.resolve("trainer"));
        App app = CapstanApp.newApp(Map.of(FunctionCode.CONTEXT_KEY, emptyDir.toString(),
                PipelineSources.TRAINER_CONTEXT_KEY, trainer.toString()));

        assertThatThrownBy(() -> CapstanApp.define(app))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(emptyDir.resolve("pipeline/target/capstan-pipeline-lambda.jar").toString())
                .hasMessageContaining("mvn -B -DskipTests package -pl functions/pipeline -am");
    }

    @Test
    void define_nothingBuiltWithPlaceholders_synthesizesStandInsThatCannotDeployAndWarns(@TempDir Path emptyDir)
            throws Exception {
        Path trainer = Files.createDirectories(emptyDir.resolve("unbuilt-trainer"));
        Files.writeString(trainer.resolve("Dockerfile"), "FROM scratch\n");
        App app = CapstanApp.newApp(Map.of(FunctionCode.CONTEXT_KEY, emptyDir.toString(),
                PipelineSources.TRAINER_CONTEXT_KEY, trainer.toString(), Placeholders.CONTEXT_KEY, "true"));

        CapstanApp.Stacks stacks = CapstanApp.define(app);
        CloudAssembly assembly = app.synth();

        // every stack synthesizes (cdk destroy needs no more), the functions from text files Lambda cannot unzip
        assertThat(stacks.all()).allSatisfy(stack -> assertThat(assembly.getStackArtifact(stack.getArtifactId())
                .getTemplate()).isNotNull());
        Path standIn = Placeholders.lambdaJar(PipelineStack.MODULE);
        assertThat(Files.readString(standIn)).startsWith("Placeholder for capstan-pipeline-lambda.jar")
                .contains("Lambda refuses it");
        assertThat(standIn.getFileName().toString()).endsWith(".jar");
        assertThat(Files.readString(Placeholders.trainerDirectory().resolve("Dockerfile")))
                .contains("COPY trainer-not-packaged");
        assertThat(assembly.getStackArtifact(stacks.pipeline().getArtifactId()).getMessages())
                .extracting(message -> String.valueOf(message.getEntry().getData()))
                .anySatisfy(text -> assertThat(text).contains(Placeholders.CONTEXT_KEY + "=true")
                        .contains("cannot be deployed"));
    }

    @Test
    void define_jarNotBuilt_failureNamesThePlaceholderFlagForDestroy(@TempDir Path emptyDir) {
        Path trainer = TestApps.writeStandInTrainer(emptyDir.resolve("trainer"));
        App app = CapstanApp.newApp(Map.of(FunctionCode.CONTEXT_KEY, emptyDir.toString(),
                PipelineSources.TRAINER_CONTEXT_KEY, trainer.toString()));

        assertThatThrownBy(() -> CapstanApp.define(app))
                .hasMessageContaining("-c " + Placeholders.CONTEXT_KEY + "=true");
    }

    @Test
    void define_trainerNotPackaged_failsNamingTheTrainerBuildCommand(@TempDir Path codeDir) throws Exception {
        TestApps.writeStandInJars(codeDir);
        Path trainer = Files.createDirectories(codeDir.resolve("unbuilt-trainer"));
        Files.writeString(trainer.resolve("Dockerfile"), "FROM scratch\n");
        App app = CapstanApp.newApp(Map.of(FunctionCode.CONTEXT_KEY, codeDir.toString(),
                PipelineSources.TRAINER_CONTEXT_KEY, trainer.toString()));

        assertThatThrownBy(() -> CapstanApp.define(app))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(trainer.resolve("target").toString())
                .hasMessageContaining("mvn -B -DskipTests package -pl sagemaker-jobs/trainer -am");
    }

    @Test
    void apiStack_tableWithGlobalIndexes_reviewedIndexWildcardLeavesNoNagError(@TempDir Path codeDir) {
        App app = TestApps.withStandInJars(codeDir);
        TableDefinition indexed = new TableDefinition("indexed", "pk", "sk",
                List.of(new TableDefinition.GlobalIndex("gsi1", "gsi1pk", "gsi1sk")), "CAPSTAN_TABLE");
        StorageStack storage = new StorageStack(app, "IndexedStorage",
                new StorageDefinitions(indexed, BucketDefinition.all()));
        Stack retraining = new Stack(app, "Retraining");
        ApiStack api = new ApiStack(app, "IndexedApi", new ApiStackProps(storage.resources(), RouteTable.capstan(),
                FunctionCode.fromContext(app), StateMachine.fromStateMachineArn(retraining, "StateMachine",
                        "arn:aws:states:eu-west-1:123456789012:stateMachine:retraining"),
                StateMachine.fromStateMachineArn(retraining, "BatchStateMachine",
                        "arn:aws:states:eu-west-1:123456789012:stateMachine:capstan-batch-predictions"),
                new BatchLocationSettings(List.of()), StateMachine.fromStateMachineArn(retraining, "ProfileStateMachine",
                        "arn:aws:states:eu-west-1:123456789012:stateMachine:capstan-drift-profiles")));
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));

        assertThat(Template.fromStack(api).toJSON().toString()).contains("/index/*");
        assertThat(Annotations.fromStack(api).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .extracting(CapstanAppNagTest::describe).isEmpty();
    }
}
