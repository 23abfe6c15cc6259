package io.capstan.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.UploadClaim;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upload claims and execution histories on DynamoDB Local. */
class DynamoDbPipelineStoreTest {
    private static final String BUCKET = "capstan-datasets";
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static DynamoDbLocalTable table;
    private static DynamoDbPipelineStore store;
    private String key;

    @BeforeAll
    static void startDynamoDb() {
        table = new DynamoDbLocalTable();
        store = new DynamoDbPipelineStore(table.client, table.tableName);
    }

    @AfterAll
    static void stopDynamoDb() {
        table.close();
    }

    @BeforeEach
    void newKey() {
        key = "datasets/churn/" + KEYS.incrementAndGet() + ".csv";
    }

    private UploadClaim claim(String version, String claimId) {
        return new UploadClaim(BUCKET, key, version, "churn-upload-" + version, claimId);
    }

    @Test
    void claimUpload_sameVersionByAnotherCaller_isRefused() {
        assertThat(store.claimUpload(claim("v1", "a"))).isTrue();

        assertThat(store.claimUpload(claim("v1", "b"))).isFalse();
        assertThat(store.claimUpload(claim("v2", "b"))).isTrue();
    }

    @Test
    void releaseUpload_ownClaim_letsTheVersionBeClaimedAgain() {
        store.claimUpload(claim("v1", "a"));

        boolean released = store.releaseUpload(claim("v1", "a"));

        assertThat(released).isTrue();
        assertThat(store.claimUpload(claim("v1", "b"))).isTrue();
    }

    @Test
    void releaseUpload_anotherCallersClaim_leavesItInPlace() {
        store.claimUpload(claim("v1", "a"));

        boolean released = store.releaseUpload(claim("v1", "b"));

        assertThat(released).isFalse();
        assertThat(store.claimUpload(claim("v1", "c"))).isFalse();
    }

    @Test
    void releaseUpload_releasedTwice_secondFindsNothingAndSparesANewClaim() {
        store.claimUpload(claim("v1", "a"));
        store.releaseUpload(claim("v1", "a"));
        store.claimUpload(claim("v1", "b"));

        boolean again = store.releaseUpload(claim("v1", "a"));

        assertThat(again).isFalse();
        assertThat(store.claimUpload(claim("v1", "c"))).isFalse();
    }

    @Test
    void releaseUpload_nothingClaimed_returnsFalse() {
        assertThat(store.releaseUpload(claim("v1", "a"))).isFalse();
    }

    @Test
    void appendEvents_moreThanOneBatch_keepsEveryEventInOrder() {
        List<ExecutionEvent> events = IntStream.range(0, 60).mapToObj(i -> new ExecutionEvent(1_000L + i,
                "TaskStateEntered", "State" + i, "", "")).toList();

        store.appendEvents("churn", "exec-" + key.hashCode(), events.subList(0, 7));
        store.appendEvents("churn", "exec-" + key.hashCode(), events.subList(7, 60));

        assertThat(store.history("churn", "exec-" + key.hashCode())).containsExactlyElementsOf(events);
    }
}
