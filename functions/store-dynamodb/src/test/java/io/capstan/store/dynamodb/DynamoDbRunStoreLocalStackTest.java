package io.capstan.store.dynamodb;

import io.capstan.storage.TableDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@link DynamoDbRunStore} against LocalStack's DynamoDB; skipped where Docker is absent. */
@Testcontainers(disabledWithoutDocker = true)
class DynamoDbRunStoreLocalStackTest extends DynamoDbRunStoreContract {
    private static final String TABLE = "capstan-localstack";

    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
                    .withServices(LocalStackContainer.Service.DYNAMODB);

    private DynamoDbClient client;

    @BeforeAll
    void connect() {
        client = DynamoDbClient.builder().endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
        DynamoDbTableBootstrap.createIfMissing(client, TableDefinition.METADATA, TABLE);
    }

    @AfterAll
    void disconnect() {
        client.close();
    }

    @Override
    protected DynamoDbClient client() {
        return client;
    }

    @Override
    protected String tableName() {
        return TABLE;
    }
}
