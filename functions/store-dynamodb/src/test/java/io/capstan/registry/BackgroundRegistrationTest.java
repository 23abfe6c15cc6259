package io.capstan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.provenance.Provenance;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration of large sources outside the request, and versions whose registration never finished. */
class BackgroundRegistrationTest {
    private static final long THRESHOLD = 1_000;
    private static DynamoDbLocalTable table;
    private static DynamoDbRegistryStore store;

    private final List<String> queued = new ArrayList<>();
    private final AtomicInteger registrations = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    private RegistryService inRequest;
    private RegistryService inBackground;
    private String name;

    @BeforeAll
    static void start() {
        table = new DynamoDbLocalTable();
        store = new DynamoDbRegistryStore(table.client, table.tableName);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    @BeforeEach
    void newModel() {
        ModelRegistration registration = new ModelRegistration() {
            @Override
            public Outcome register(ModelVersion pending) {
                registrations.incrementAndGet();
                return new Registered("mlflow-artifacts:/registry/" + pending.name() + "/" + pending.version(),
                        Provenance.UNKNOWN, Servability.SERVABLE);
            }

            @Override
            public long sourceBytes(String source, String runId) {
                return source.endsWith("large") ? THRESHOLD + 1 : THRESHOLD;
            }
        };
        inRequest = new RegistryService(store, registration, clock);
        inBackground = inRequest.registeringInBackground((model, version) -> queued.add(model + "/" + version),
                THRESHOLD);
        name = "m-" + UUID.randomUUID();
        inRequest.createRegisteredModel(name, "", Map.of());
    }

    @Test
    void createModelVersion_sourceOverTheThreshold_isPendingAndQueuedThenCompleted() {
        ModelVersion created = inBackground.createModelVersion(name, "runs:/r/large", "r", "", Map.of(), "", "ada");

        assertThat(created.status()).isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);
        assertThat(created.statusMessage()).contains("in the background", "1001 bytes");
        assertThat(queued).containsExactly(name + "/1");
        assertThat(registrations).hasValue(0);
        assertThat(inBackground.getModelVersion(name, "1").status()).isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);

        ModelVersion completed = inBackground.completeRegistration(name, 1);

        assertThat(completed.status()).isEqualTo(ModelVersionStatus.READY);
        assertThat(completed.statusMessage()).isEmpty();
        assertThat(inBackground.getModelVersion(name, "1").storageLocation())
                .isEqualTo("mlflow-artifacts:/registry/" + name + "/1");
    }

    @Test
    void createModelVersion_sourceAtTheThreshold_registersInTheRequest() {
        ModelVersion created = inBackground.createModelVersion(name, "runs:/r/small", "r", "", Map.of(), "", "ada");

        assertThat(created.status()).isEqualTo(ModelVersionStatus.READY);
        assertThat(queued).isEmpty();
        assertThat(registrations).hasValue(1);
    }

    @Test
    void completeRegistration_deliveredTwice_registersOnce() {
        inBackground.createModelVersion(name, "runs:/r/large", "r", "", Map.of(), "", "ada");

        inBackground.completeRegistration(name, 1);
        ModelVersion again = inBackground.completeRegistration(name, 1);

        assertThat(again.status()).isEqualTo(ModelVersionStatus.READY);
        assertThat(registrations).hasValue(1);
    }

    @Test
    void createModelVersion_queueRefuses_failsTheVersionAndAnswersTheError() {
        RegistryService refusing = inRequest.registeringInBackground((model, version) -> {
            throw new IllegalStateException("queue down");
        }, THRESHOLD);

        assertThatThrownBy(() -> refusing.createModelVersion(name, "runs:/r/large", "r", "", Map.of(), "", "ada"))
                .hasMessage("queue down");

        ModelVersion failed = inRequest.getModelVersion(name, "1");
        assertThat(failed.status()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
        assertThat(failed.statusMessage()).contains("could not be started in the background");
    }

    @Test
    void getModelVersion_pendingPastTheDeadline_isFailedAndALateCompletionChangesNothing() {
        inBackground.createModelVersion(name, "runs:/r/large", "r", "", Map.of(), "", "ada");
        clock.advance(RegistryService.REGISTRATION_DEADLINE.minusSeconds(1));
        assertThat(inBackground.getModelVersion(name, "1").status()).isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);

        clock.advance(Duration.ofSeconds(2));
        ModelVersion swept = inBackground.getModelVersion(name, "1");

        assertThat(swept.status()).isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
        assertThat(swept.statusMessage()).contains("did not finish within 20 minutes", "Register the model again");
        assertThat(inBackground.completeRegistration(name, 1).status())
                .isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
        assertThat(registrations).hasValue(0);
    }

    @Test
    void searchModelVersions_pendingPastTheDeadline_answersItFailed() {
        inBackground.createModelVersion(name, "runs:/r/large", "r", "", Map.of(), "", "ada");
        clock.advance(RegistryService.REGISTRATION_DEADLINE.plusMinutes(1));

        List<ModelVersion> found = inBackground.searchModelVersions("name='" + name + "'", null, List.of(), null)
                .items();

        assertThat(found).singleElement().extracting(ModelVersion::status)
                .isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
        assertThat(inRequest.latestVersions(name, List.of()).get(0).status())
                .isEqualTo(ModelVersionStatus.FAILED_REGISTRATION);
    }

    @Test
    void registeringInBackground_negativeThreshold_isRefused() {
        assertThatThrownBy(() -> inRequest.registeringInBackground((m, v) -> { }, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
