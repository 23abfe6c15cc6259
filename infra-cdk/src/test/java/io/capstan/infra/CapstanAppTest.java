package io.capstan.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.http.RouteTable;
import io.capstan.infra.api.ApiStack;
import io.capstan.infra.api.ApiStackProps;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.storage.StorageDefinitions;
import io.capstan.infra.storage.StorageStack;
import io.capstan.infra.testutils.TestApps;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Properties of the app as a whole: deterministic synth, clear failures, nag-clean when the table gains indexes. */
class CapstanAppTest {

    @TempDir
    static Path codeDir;

    @Test
    void define_twiceFromTheSameInputs_synthesizesIdenticalTemplates() {
        CapstanApp.Stacks first = CapstanApp.define(TestApps.withStandInJars(codeDir));
        CapstanApp.Stacks second = CapstanApp.define(TestApps.withStandInJars(codeDir));

        assertThat(Template.fromStack(second.storage()).toJSON()).isEqualTo(Template.fromStack(first.storage()).toJSON());
        assertThat(Template.fromStack(second.api()).toJSON()).isEqualTo(Template.fromStack(first.api()).toJSON());
    }

    @Test
    void define_jarNotBuilt_failsNamingTheJarAndTheBuildCommand(@TempDir Path emptyDir) {
        App app = CapstanApp.newApp(Map.of(FunctionCode.CONTEXT_KEY, emptyDir.toString()));

        assertThatThrownBy(() -> CapstanApp.define(app))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(emptyDir.resolve("tracking/target/capstan-tracking-lambda.jar").toString())
                .hasMessageContaining("mvn -B -DskipTests package -pl functions/tracking -am");
    }

    @Test
    void apiStack_tableWithGlobalIndexes_reviewedIndexWildcardLeavesNoNagError() {
        App app = TestApps.withStandInJars(codeDir);
        TableDefinition indexed = new TableDefinition("indexed", "pk", "sk",
                List.of(new TableDefinition.GlobalIndex("gsi1", "gsi1pk", "gsi1sk")), "CAPSTAN_TABLE");
        StorageStack storage = new StorageStack(app, "IndexedStorage",
                new StorageDefinitions(indexed, BucketDefinition.all()));
        ApiStack api = new ApiStack(app, "IndexedApi",
                new ApiStackProps(storage.resources(), RouteTable.capstan(), FunctionCode.fromContext(app)));
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));

        assertThat(Template.fromStack(api).toJSON().toString()).contains("/index/*");
        assertThat(Annotations.fromStack(api).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .extracting(CapstanAppNagTest::describe).isEmpty();
    }
}
