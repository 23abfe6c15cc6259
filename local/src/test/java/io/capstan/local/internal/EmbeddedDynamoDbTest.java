package io.capstan.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDynamoDbTest {

    @TempDir
    Path directory;

    /** Guards the one reach into DynamoDB Local's internals: an upgrade that breaks it fails here. */
    @Test
    void start_dynamoDbLocal261_relaxesSqliteSync() {
        try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(directory)) {

            assertThat(dynamoDb.relaxedSync()).isTrue();
            assertThat(dynamoDb.client().listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void start_freshDirectory_usesWriteAheadLog() throws Exception {
        try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(directory)) {
            dynamoDb.client().listTables();
        }

        // byte 18 of an SQLite header is the file format's write version: 2 means WAL
        byte[] header = java.nio.file.Files.readAllBytes(directory.resolve(EmbeddedDynamoDb.DATABASE_FILE));
        assertThat(header[18]).isEqualTo((byte) 2);
    }
}
