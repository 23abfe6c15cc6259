package io.capstan.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.UploadClaim;
import io.capstan.testing.DynamoDbLocalTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Upload claims and execution histories on DynamoDB Local. */
class DynamoDbPipelineStoreTest {
    private static final String BUCKET = "capstan-datasets";
    private static final AtomicInteger KEYS = new AtomicInteger();
    @RegisterExtension
    static final DynamoDbLocalTable TABLE = new DynamoDbLocalTable();
    private static final DynamoDbPipelineStore STORE = new DynamoDbPipelineStore(TABLE.client, TABLE.tableName);
    private String key;

    @BeforeEach
    void newKey() {
        key = "datasets/churn/" + KEYS.incrementAndGet() + ".csv";
    }

    private UploadClaim claim(String version, String claimId) {
        return new UploadClaim(BUCKET, key, version, "churn-upload-" + version, claimId);
    }

    @Test
    void claimUpload_sameVersionByAnotherCaller_isRefused() {
        assertThat(STORE.claimUpload(claim("v1", "a"))).isTrue();

        assertThat(STORE.claimUpload(claim("v1", "b"))).isFalse();
        assertThat(STORE.claimUpload(claim("v2", "b"))).isTrue();
    }

    @Test
    void releaseUpload_ownClaim_letsTheVersionBeClaimedAgain() {
        STORE.claimUpload(claim("v1", "a"));

        boolean released = STORE.releaseUpload(claim("v1", "a"));

        assertThat(released).isTrue();
        assertThat(STORE.claimUpload(claim("v1", "b"))).isTrue();
    }

    @Test
    void releaseUpload_anotherCallersClaim_leavesItInPlace() {
        STORE.claimUpload(claim("v1", "a"));

        boolean released = STORE.releaseUpload(claim("v1", "b"));

        assertThat(released).isFalse();
        assertThat(STORE.claimUpload(claim("v1", "c"))).isFalse();
    }

    @Test
    void releaseUpload_releasedTwice_secondFindsNothingAndSparesANewClaim() {
        STORE.claimUpload(claim("v1", "a"));
        STORE.releaseUpload(claim("v1", "a"));
        STORE.claimUpload(claim("v1", "b"));

        boolean again = STORE.releaseUpload(claim("v1", "a"));

        assertThat(again).isFalse();
        assertThat(STORE.claimUpload(claim("v1", "c"))).isFalse();
    }

    @Test
    void releaseUpload_nothingClaimed_returnsFalse() {
        assertThat(STORE.releaseUpload(claim("v1", "a"))).isFalse();
    }

    @Test
    void appendEvents_moreThanOneBatch_keepsEveryEventInOrder() {
        List<ExecutionEvent> events = IntStream.range(0, 60).mapToObj(i -> new ExecutionEvent(1_000L + i,
                "TaskStateEntered", "State" + i, "", "")).toList();

        STORE.appendEvents("churn", "exec-" + key.hashCode(), events.subList(0, 7));
        STORE.appendEvents("churn", "exec-" + key.hashCode(), events.subList(7, 60));

        assertThat(STORE.history("churn", "exec-" + key.hashCode())).containsExactlyElementsOf(events);
    }
}
