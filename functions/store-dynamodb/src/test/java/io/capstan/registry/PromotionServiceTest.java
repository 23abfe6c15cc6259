package io.capstan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.provenance.Provenance;
import io.capstan.registry.AuditEvent.AuditAction;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.testing.DynamoDbLocalTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Promotion rules on the real DynamoDB store (DynamoDB Local). */
class PromotionServiceTest {
    private static DynamoDbLocalTable table;
    private static RegistryService registry;
    private static PromotionService promotions;

    @BeforeAll
    static void start() {
        table = new DynamoDbLocalTable();
        DynamoDbRegistryStore store = new DynamoDbRegistryStore(table.client, table.tableName);
        ModelRegistration registration = pending -> pending.source().contains("corrupt")
                ? new ModelRegistration.Failed("model.onnx is not an ONNX model")
                : new ModelRegistration.Registered("mlflow-artifacts:/registry/" + pending.version(), Provenance.UNKNOWN, Servability.SERVABLE);
        registry = new RegistryService(store, registration, Clock.systemUTC());
        promotions = new PromotionService(store, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static String modelWithVersions(int count) {
        String name = "model-" + UUID.randomUUID();
        registry.createRegisteredModel(name, "", Map.of());
        for (int i = 0; i < count; i++) {
            registry.createModelVersion(name, "runs:/abc/model", "abc", "", Map.of(), "", "ada");
        }
        return name;
    }

    @Test
    void setAlias_readyVersion_pointsAliasAndAuditsWhoWhenWhy() {
        String name = modelWithVersions(2);
        promotions.setAlias(name, "champion", 1, Optional.empty(), "ada", "first model");

        AuditEvent event = promotions.setAlias(name, "champion", 2, Optional.empty(), "grace", "better AUC");

        assertThat(registry.getRegisteredModel(name).aliases()).containsEntry("champion", 2L);
        assertThat(event.fromVersion()).isEqualTo(1L);
        assertThat(event.toVersion()).isEqualTo(2L);
        assertThat(promotions.auditTrail(name)).extracting(AuditEvent::actor, AuditEvent::reason, AuditEvent::toVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ada", "first model", 1L),
                        org.assertj.core.groups.Tuple.tuple("grace", "better AUC", 2L));
    }

    @Test
    void setAlias_failedVersion_isRefused() {
        String name = "model-" + UUID.randomUUID();
        registry.createRegisteredModel(name, "", Map.of());
        ModelVersion failed = registry.createModelVersion(name, "runs:/abc/corrupt", "abc", "", Map.of(), "", "ada");

        assertThat(failed.status()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
        assertThatThrownBy(() -> promotions.setAlias(name, "champion", 1, Optional.empty(), "ada", ""))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("FAILED_REGISTRATION", "not an ONNX model");
                });
    }

    @Test
    void setAlias_eightConcurrentPromotionsFromTheSameChampion_oneWinsSevenConflict() throws Exception {
        String name = modelWithVersions(9);
        promotions.setAlias(name, "champion", 1, Optional.empty(), "ada", "baseline");
        CyclicBarrier together = new CyclicBarrier(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> outcomes = new ArrayList<>();
        for (long version = 2; version <= 9; version++) {
            long candidate = version;
            outcomes.add(pool.submit(() -> {
                together.await();
                try {
                    promotions.setAlias(name, "champion", candidate, Optional.of(1L), "operator-" + candidate, "promote");
                    return "won:" + candidate;
                } catch (CapstanException e) {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_CONFLICT);
                    return "conflict";
                }
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get());
        }
        pool.shutdown();

        List<String> winners = results.stream().filter(r -> r.startsWith("won:")).toList();
        assertThat(winners).hasSize(1);
        assertThat(results).filteredOn("conflict"::equals).hasSize(7);
        long winner = Long.parseLong(winners.get(0).substring(4));
        assertThat(registry.getRegisteredModel(name).aliases()).containsEntry("champion", winner);
        List<AuditEvent> trail = promotions.auditTrail(name);
        assertThat(trail).filteredOn(AuditEvent::applied).extracting(AuditEvent::toVersion).containsExactly(1L, winner);
        assertThat(trail).filteredOn(e -> !e.applied()).hasSize(7)
                .allSatisfy(e -> assertThat(e.detail()).contains("refused", "version " + winner));
    }

    @Test
    void rollback_walksBackThroughEarlierChampions() {
        String name = modelWithVersions(3);
        for (long v = 1; v <= 3; v++) {
            promotions.setAlias(name, "champion", v, Optional.empty(), "ada", "v" + v);
        }

        AuditEvent first = promotions.rollback(name, "champion", "grace", "v3 misbehaves");
        AuditEvent second = promotions.rollback(name, "champion", "grace", "v2 too");

        assertThat(first.action()).isEqualTo(AuditAction.ROLLBACK);
        assertThat(first.toVersion()).isEqualTo(2L);
        assertThat(second.toVersion()).isEqualTo(1L);
        assertThat(registry.getRegisteredModel(name).aliases()).containsEntry("champion", 1L);
        assertThatThrownBy(() -> promotions.rollback(name, "champion", "grace", ""))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE));
    }

    @Test
    void rollback_skipsDeletedVersions() {
        String name = modelWithVersions(3);
        for (long v = 1; v <= 3; v++) {
            promotions.setAlias(name, "champion", v, Optional.empty(), "ada", "");
        }
        promotions.deleteVersion(name, 2, "ada");

        assertThat(promotions.rollback(name, "champion", "ada", "").toVersion()).isEqualTo(1L);
    }

    @Test
    void transitionStage_archivingExisting_movesTheOthersToArchived() {
        String name = modelWithVersions(3);
        promotions.transitionStage(name, 1, "production", false, "ada", "");
        promotions.transitionStage(name, 2, "Production", false, "ada", "");

        ModelVersion moved = promotions.transitionStage(name, 3, "PRODUCTION", true, "ada", "release");

        assertThat(moved.stage()).isEqualTo(Stage.PRODUCTION);
        assertThat(registry.getModelVersion(name, "1").stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.getModelVersion(name, "2").stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(promotions.auditTrail(name)).last().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.TRANSITION_STAGE);
            assertThat(e.detail()).isEqualTo("archived versions 1, 2");
        });
    }

    @Test
    void transitionStage_archiveIntoNone_isRefused() {
        String name = modelWithVersions(1);

        assertThatThrownBy(() -> promotions.transitionStage(name, 1, "None", true, "ada", ""))
                .hasMessageContaining("not an Active stage");
        assertThatThrownBy(() -> promotions.transitionStage(name, 1, "Shipping", false, "ada", ""))
                .hasMessageContaining("Invalid Model Version stage: Shipping");
    }

    @Test
    void deleteVersion_removesItsAliasesWithAnAuditEvent() {
        String name = modelWithVersions(2);
        promotions.setAlias(name, "challenger", 2, Optional.empty(), "ada", "");

        promotions.deleteVersion(name, 2, "grace");

        assertThat(registry.getRegisteredModel(name).aliases()).doesNotContainKey("challenger");
        assertThat(promotions.auditTrail(name)).last().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAction.DELETE_ALIAS);
            assertThat(e.detail()).contains("version 2 deleted");
        });
        assertThatThrownBy(() -> registry.getModelVersion(name, "2")).isInstanceOf(CapstanException.class);
    }

    @Test
    void setTrafficPolicy_targetsMustBeServable_andVersionsInItCannotBeDeleted() {
        String name = modelWithVersions(2);
        promotions.setAlias(name, "champion", 1, Optional.empty(), "ada", "");
        TrafficPolicy canary = new TrafficPolicy(List.of(new TrafficPolicy.Split("champion", 90),
                new TrafficPolicy.Split("v2", 10)));

        assertThatThrownBy(() -> promotions.setTrafficPolicy(name, new TrafficPolicy(List.of(
                new TrafficPolicy.Split("challenger", 100))), "ada", "")).hasMessageContaining("no alias 'challenger'");
        promotions.setTrafficPolicy(name, canary, "ada", "canary v2");

        assertThat(registry.getRegisteredModel(name).traffic()).contains(canary);
        assertThatThrownBy(() -> promotions.deleteVersion(name, 2, "ada")).hasMessageContaining("traffic policy");
        promotions.clearTrafficPolicy(name, "ada", "done");
        assertThat(registry.getRegisteredModel(name).traffic()).isEmpty();
        assertThat(promotions.auditTrail(name)).extracting(AuditEvent::action)
                .endsWith(AuditAction.SET_TRAFFIC_POLICY, AuditAction.CLEAR_TRAFFIC_POLICY);
    }

    @Test
    void versionByAlias_unknownAlias_isInvalidParameterValue() {
        String name = modelWithVersions(1);

        assertThatThrownBy(() -> promotions.versionByAlias(name, "champion"))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    @Test
    void setAlias_reservedName_isRefused() {
        String name = modelWithVersions(1);

        assertThatThrownBy(() -> promotions.setAlias(name, "v1", 1, Optional.empty(), "ada", ""))
                .hasMessageContaining("refer to versions");
        assertThatThrownBy(() -> promotions.setAlias(name, "latest", 1, Optional.empty(), "ada", ""))
                .hasMessageContaining("'latest'");
    }
}
