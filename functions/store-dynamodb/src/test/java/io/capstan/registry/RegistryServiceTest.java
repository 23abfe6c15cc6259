package io.capstan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.provenance.Provenance;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.store.dynamodb.DynamoDbUsage;
import io.capstan.store.dynamodb.MeteredDynamoDbClient;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.tracking.search.Page;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MLflow registry behaviour on the real DynamoDB store (DynamoDB Local). */
class RegistryServiceTest {
    private static DynamoDbLocalTable table;
    private static RegistryService registry;
    private static PromotionService promotions;

    @BeforeAll
    static void start() {
        table = new DynamoDbLocalTable();
        DynamoDbRegistryStore store = new DynamoDbRegistryStore(table.client, table.tableName);
        ModelRegistration registration = pending -> pending.source().endsWith("missing")
                ? new ModelRegistration.Failed("no model at " + pending.source())
                : new ModelRegistration.Registered("mlflow-artifacts:/registry/" + pending.name() + "/"
                        + pending.version(), Provenance.UNKNOWN, Servability.SERVABLE);
        registry = new RegistryService(store, registration, Clock.systemUTC());
        promotions = new PromotionService(store, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static String newName() {
        return "m-" + UUID.randomUUID();
    }

    @Test
    void createRegisteredModel_nameTaken_isResourceAlreadyExists() {
        String name = newName();
        registry.createRegisteredModel(name, "first", Map.of("team", "fraud"));

        assertThatThrownBy(() -> registry.createRegisteredModel(name, "", Map.of()))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
        assertThat(registry.getRegisteredModel(name).tags()).containsEntry("team", "fraud");
    }

    @Test
    void createRegisteredModel_nameWithSlashOrAt_isRefused() {
        assertThatThrownBy(() -> registry.createRegisteredModel("a/b", "", Map.of())).hasMessageContaining("'/'");
        assertThatThrownBy(() -> registry.createRegisteredModel("a@b", "", Map.of())).hasMessageContaining("'@'");
        assertThatThrownBy(() -> registry.createRegisteredModel("", "", Map.of())).hasMessageContaining("empty");
    }

    @Test
    void createModelVersion_numbersAreNeverReused() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());
        registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada");
        registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada");

        promotions.deleteVersion(name, 2, "ada");
        ModelVersion third = registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada");

        assertThat(third.version()).isEqualTo(3);
        assertThat(third.status()).isEqualTo(ModelVersionStatus.READY);
        assertThat(third.storageLocation()).isEqualTo("mlflow-artifacts:/registry/" + name + "/3");
        assertThat(registry.downloadUri(name, "3")).isEqualTo(third.storageLocation());
    }

    @Test
    void createModelVersion_failedRegistration_saysWhy() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());

        ModelVersion version = registry.createModelVersion(name, "runs:/r/missing", "r", "", Map.of(), "", "ada");

        assertThat(version.status()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
        assertThat(version.statusMessage()).isEqualTo("no model at runs:/r/missing");
        assertThat(registry.getModelVersion(name, "1").status()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
    }

    @Test
    void createModelVersion_unknownModel_isNotFound() {
        assertThatThrownBy(() -> registry.createModelVersion(newName(), "runs:/r/model", "r", "", Map.of(), "", "ada"))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void rename_versionsAndAliasesFollow_oldNameIsGone() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());
        registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada");
        promotions.setAlias(name, "champion", 1, Optional.empty(), "ada", "");

        registry.rename(name, name + "-v2");

        assertThat(registry.getModelVersion(name + "-v2", "1").name()).isEqualTo(name + "-v2");
        assertThat(promotions.versionByAlias(name + "-v2", "champion").version()).isEqualTo(1);
        assertThatThrownBy(() -> registry.getRegisteredModel(name)).isInstanceOf(CapstanException.class);
    }

    @Test
    void rename_toATakenName_isResourceAlreadyExists() {
        String a = newName();
        String b = newName();
        registry.createRegisteredModel(a, "", Map.of());
        registry.createRegisteredModel(b, "", Map.of());

        assertThatThrownBy(() -> registry.rename(a, b)).isInstanceOfSatisfying(CapstanException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
        assertThat(registry.getRegisteredModel(a).name()).isEqualTo(a);
    }

    @Test
    void deleteRegisteredModel_thenRecreate_startsAtVersionOne() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());
        registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada");

        registry.deleteRegisteredModel(name);
        assertThatThrownBy(() -> registry.getRegisteredModel(name)).isInstanceOf(CapstanException.class);
        registry.createRegisteredModel(name, "", Map.of());

        assertThat(registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada").version())
                .isEqualTo(1);
        assertThat(promotions.auditTrail(name)).isEmpty();
    }

    @Test
    void latestVersions_perStage_highestVersionOfEach() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());
        for (int i = 0; i < 4; i++) {
            registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada");
        }
        promotions.transitionStage(name, 1, "Production", false, "ada", "");
        promotions.transitionStage(name, 2, "Staging", false, "ada", "");
        promotions.transitionStage(name, 3, "Staging", false, "ada", "");

        assertThat(registry.latestVersions(name, List.of())).extracting(ModelVersion::version, ModelVersion::stage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, Stage.PRODUCTION),
                        org.assertj.core.groups.Tuple.tuple(3L, Stage.STAGING),
                        org.assertj.core.groups.Tuple.tuple(4L, Stage.NONE));
        assertThat(registry.latestVersions(name, List.of("staging"))).extracting(ModelVersion::version)
                .containsExactly(3L);
        assertThatThrownBy(() -> registry.latestVersions(name, List.of("Live"))).hasMessageContaining("Live");
    }

    @Test
    void tags_setAndDelete_missingTagDeleteIsFine() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());
        registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of("k", "v"), "", "ada");

        registry.setModelTag(name, "owner", "ada");
        registry.deleteModelTag(name, "missing");
        registry.setVersionTag(name, "1", "validated", "true");
        registry.deleteVersionTag(name, "1", "k");

        assertThat(registry.getRegisteredModel(name).tags()).containsExactly(Map.entry("owner", "ada"));
        assertThat(registry.getModelVersion(name, "1").tags()).containsExactly(Map.entry("validated", "true"));
    }

    @Test
    void searchRegisteredModels_filterOrderAndPages() {
        String prefix = "search-" + UUID.randomUUID().toString().substring(0, 8);
        for (String suffix : List.of("c", "a", "b")) {
            registry.createRegisteredModel(prefix + "-" + suffix, "", Map.of("kind", suffix.equals("b") ? "fm" : "lr"));
        }

        Page<RegisteredModel> first = registry.searchRegisteredModels("name LIKE '" + prefix + "%'", 2, List.of(), null);
        Page<RegisteredModel> second = registry.searchRegisteredModels("name LIKE '" + prefix + "%'", 2, List.of(),
                first.nextPageToken());
        Page<RegisteredModel> tagged = registry.searchRegisteredModels("name LIKE '" + prefix + "%' AND tags.kind = 'lr'",
                10, List.of("name DESC"), null);

        assertThat(first.items()).extracting(RegisteredModel::name).containsExactly(prefix + "-a", prefix + "-b");
        assertThat(second.items()).extracting(RegisteredModel::name).containsExactly(prefix + "-c");
        assertThat(second.nextPageToken()).isNull();
        assertThat(tagged.items()).extracting(RegisteredModel::name).containsExactly(prefix + "-c", prefix + "-a");
        assertThatThrownBy(() -> registry.searchRegisteredModels("run_id = 'x'", 10, List.of(), null))
                .hasMessageContaining("run_id");
        assertThatThrownBy(() -> registry.searchRegisteredModels("", 1001, List.of(), null))
                .hasMessageContaining("max_results");
    }

    @Test
    void searchModelVersions_byNameRunIdAndVersion() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());
        registry.createModelVersion(name, "runs:/aaa/model", "aaa", "", Map.of(), "", "ada");
        registry.createModelVersion(name, "runs:/bbb/model", "bbb", "", Map.of(), "", "ada");
        registry.createModelVersion(name, "runs:/ccc/model", "ccc", "", Map.of(), "", "ada");

        var byRun = registry.searchModelVersions("name = '" + name + "' AND run_id IN ('aaa', 'ccc')", null,
                List.of("version_number ASC"), null);
        var newer = registry.searchModelVersions("name = '" + name + "' AND version_number >= 2", null, List.of(), null);

        assertThat(byRun.items()).extracting(ModelVersion::version).containsExactly(1L, 3L);
        assertThat(newer.items()).extracting(ModelVersion::version).containsExactlyInAnyOrder(2L, 3L);
        assertThatThrownBy(() -> registry.searchModelVersions("name IN ('x')", null, List.of(), null))
                .isInstanceOf(CapstanException.class);
    }

    @Test
    void getModelVersion_nonNumericVersion_isInvalidParameterValue() {
        String name = newName();
        registry.createRegisteredModel(name, "", Map.of());

        assertThatThrownBy(() -> registry.getModelVersion(name, "latest"))
                .hasMessageContaining("Model version must be an integer, got 'latest'");
    }

    @Test
    void searchModelVersions_byName_readsThatModelOnly_andFindsWhatAFullSearchFinds() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = newName();
            names.add(name);
            registry.createRegisteredModel(name, "", Map.of());
            registry.createModelVersion(name, "runs:/r/model", "r", "", Map.of(), "", "ada");
        }
        RegistryService metered = new RegistryService(new DynamoDbRegistryStore(new MeteredDynamoDbClient(
                table.client), table.tableName), pending -> {
                    throw new AssertionError("nothing registers here");
                }, Clock.systemUTC());
        String filter = "name='" + names.get(5) + "'";

        var byName = DynamoDbUsage.measure(() -> metered.searchModelVersions(filter, 100, List.of(), null));
        var all = DynamoDbUsage.measure(() -> metered.searchModelVersions("", 1000, List.of(), null));

        assertThat(byName.result().items()).extracting(ModelVersion::name).containsExactly(names.get(5));
        assertThat(all.result().items()).filteredOn(v -> v.name().equals(names.get(5)))
                .containsExactlyElementsOf(byName.result().items());
        assertThat(byName.usage().calls()).isLessThanOrEqualTo(4); // name reservation, model, versions, model
        assertThat(all.usage().calls()).isGreaterThan(12);
    }

    @Test
    void searchModelVersions_byRunId_readsThatRunsVersionsOnly_acrossModelsRenamesAndDeletes() {
        String runId = "run-" + UUID.randomUUID().toString().replace("-", "");
        String first = newName();
        String second = newName();
        registry.createRegisteredModel(first, "", Map.of());
        registry.createRegisteredModel(second, "", Map.of());
        registry.createModelVersion(first, "runs:/" + runId + "/model", runId, "", Map.of(), "", "ada");
        registry.createModelVersion(first, "runs:/other/model", "other", "", Map.of(), "", "ada");
        ModelVersion dropped = registry.createModelVersion(first, "runs:/" + runId + "/m2", runId, "", Map.of(), "",
                "ada");
        registry.createModelVersion(second, "runs:/" + runId + "/model", runId, "", Map.of(), "", "ada");
        promotions.deleteVersion(first, dropped.version(), "ada");
        String renamed = newName();
        registry.rename(second, renamed);
        RegistryService metered = new RegistryService(new DynamoDbRegistryStore(new MeteredDynamoDbClient(
                table.client), table.tableName), pending -> {
                    throw new AssertionError("nothing registers here");
                }, Clock.systemUTC());
        String filter = "run_id = '" + runId + "'";
        metered.searchModelVersions(filter, 100, List.of(), null); // the index check, once a process

        var byRun = DynamoDbUsage.measure(() -> metered.searchModelVersions(filter, 100, List.of(), null));
        var all = metered.searchModelVersions("", 10_000, List.of(), null);

        assertThat(byRun.result().items()).extracting(ModelVersion::name, ModelVersion::version)
                .containsExactlyInAnyOrder(tuple(first, 1L), tuple(renamed, 1L));
        assertThat(all.items()).filteredOn(v -> v.runId().equals(runId))
                .containsExactlyInAnyOrderElementsOf(byRun.result().items());
        assertThat(byRun.usage().calls()).as("the run's items, then one batch of models and one of versions")
                .isLessThanOrEqualTo(3);
    }
}
