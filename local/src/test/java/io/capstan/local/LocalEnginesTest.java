package io.capstan.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.storage.BucketDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.s3.model.Bucket;

class LocalEnginesTest {

    @TempDir
    Path dataDir;

    @Test
    void start_newDirectory_createsTableAndBuckets() {
        try (LocalEngines engines = LocalEngines.start(dataDir)) {

            assertThat(engines.dynamoDbClient().listTables().tableNames()).containsExactly("capstan-metadata");
            assertThat(engines.s3Client().listBuckets().buckets()).extracting(Bucket::name)
                    .containsExactlyInAnyOrder("capstan-artifacts", "capstan-datasets", "capstan-capture");
            assertThat(engines.s3Endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(dataDir.resolve("dynamodb/shared-local-instance.db")).exists();
        }
    }

    @Test
    void start_afterClose_findsItemAndObjectWrittenBefore() {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("EXP#1"), "sk", AttributeValue.fromS("META"));
        try (LocalEngines engines = LocalEngines.start(dataDir)) {
            var item = new java.util.HashMap<>(key);
            item.put("name", AttributeValue.fromS("survives restarts"));
            engines.dynamoDbClient().putItem(b -> b.tableName(engines.tableName()).item(item));
            engines.s3Client().putObject(b -> b.bucket(engines.bucketName(BucketDefinition.ARTIFACTS))
                    .key("1/run/artifacts/note.txt"), RequestBody.fromString("kept"));
        }

        try (LocalEngines reopened = LocalEngines.start(dataDir)) {
            var item = reopened.dynamoDbClient().getItem(b -> b.tableName(reopened.tableName()).key(key)).item();
            var object = reopened.s3Client().getObjectAsBytes(b -> b.bucket("capstan-artifacts")
                    .key("1/run/artifacts/note.txt"));

            assertThat(item).containsEntry("name", AttributeValue.fromS("survives restarts"));
            assertThat(object.asString(StandardCharsets.UTF_8)).isEqualTo("kept");
        }
    }

    @Test
    void dynamoDbClient_conditionalPutOnExistingItem_throwsSdkConditionalCheckFailed() {
        try (LocalEngines engines = LocalEngines.start(dataDir)) {
            var item = Map.of("pk", AttributeValue.fromS("RUN#1"), "sk", AttributeValue.fromS("PARAM#lr"));
            engines.dynamoDbClient().putItem(b -> b.tableName(engines.tableName()).item(item));

            assertThatThrownBy(() -> engines.dynamoDbClient().putItem(b -> b.tableName(engines.tableName()).item(item)
                    .conditionExpression("attribute_not_exists(pk)")))
                    .isInstanceOf(ConditionalCheckFailedException.class);
        }
    }

    @Test
    void start_directoryAlreadyInUse_isRefused() {
        try (LocalEngines engines = LocalEngines.start(dataDir)) {

            assertThatThrownBy(() -> LocalEngines.start(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void start_reportsEachStep() {
        List<String> lines = new ArrayList<>();

        try (LocalEngines engines = LocalEngines.start(dataDir, lines::add)) {

            assertThat(lines).anyMatch(l -> l.startsWith("DynamoDB Local ready"))
                    .anyMatch(l -> l.equals("Table capstan-metadata ready"))
                    .anyMatch(l -> l.startsWith("S3Proxy ready at http://127.0.0.1:"))
                    .anyMatch(l -> l.startsWith("Buckets capstan-artifacts"));
        }
    }
}
