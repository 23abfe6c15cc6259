package io.capstan.storage;

import java.util.List;
import java.util.Objects;

/**
 * The shape of Capstan's single DynamoDB table, written once and read by the CDK storage stack and the local
 * bootstrap, so the table in AWS and the one in DynamoDB Local cannot drift apart. All key attributes are
 * strings. The item layout is described in {@code docs/STORAGE.md}.
 *
 * @param logicalName     construct id in CDK, table name locally
 * @param partitionKey    partition key attribute name
 * @param sortKey         sort key attribute name
 * @param globalIndexes   global secondary indexes, projecting all attributes
 * @param tableNameEnvVar the environment variable a function reads the deployed table name from
 */
public record TableDefinition(String logicalName, String partitionKey, String sortKey,
                              List<GlobalIndex> globalIndexes, String tableNameEnvVar) {

    /** Capstan's metadata table: experiments, runs, metric history, and (later) the registry. */
    public static final TableDefinition METADATA = new TableDefinition(
            "capstan-metadata", "pk", "sk", List.of(), "CAPSTAN_TABLE");

    public TableDefinition {
        Objects.requireNonNull(logicalName, "logicalName");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(sortKey, "sortKey");
        Objects.requireNonNull(tableNameEnvVar, "tableNameEnvVar");
        globalIndexes = List.copyOf(globalIndexes);
    }

    /**
     * A global secondary index with string keys and all attributes projected.
     *
     * @param name         index name
     * @param partitionKey partition key attribute name
     * @param sortKey      sort key attribute name
     */
    public record GlobalIndex(String name, String partitionKey, String sortKey) {
        public GlobalIndex {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(sortKey, "sortKey");
        }
    }
}
