package io.capstan.infra.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.batch.S3Location;
import io.capstan.error.CapstanException;
import io.capstan.infra.nag.NagFindings;
import io.capstan.storage.KeyPrefixes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * Where batch jobs may read and write: the dataset bucket's {@code batch/} always, and the S3 prefixes of the CDK
 * context key {@value #CONTEXT_KEY} (a JSON array of {@code s3://bucket/prefix/} URIs; a bucket of another account
 * must also allow the two batch roles in its bucket policy, docs/BATCH.md). Each granted prefix is all the batch
 * functions may touch in its bucket.
 *
 * @param external the locations beyond the dataset bucket
 */
public record BatchLocationSettings(List<S3Location> external) {
    /** CDK context key: more locations for batch jobs. */
    public static final String CONTEXT_KEY = "capstan:batchLocations";
    private static final ObjectMapper JSON = new ObjectMapper();

    public BatchLocationSettings {
        external = List.copyOf(external);
        for (S3Location location : external) {
            if (!location.isPrefix() || location.key().isEmpty()) {
                throw new IllegalArgumentException(CONTEXT_KEY + ": " + location + " must be a prefix ending in /"
                        + " (a whole bucket is more than a batch job needs)");
            }
        }
    }

    /** The locations in the context of {@code scope}; none beyond the dataset bucket when unset. */
    public static BatchLocationSettings fromContext(Construct scope) {
        Object value = scope.getNode().tryGetContext(CONTEXT_KEY);
        if (value == null) {
            return new BatchLocationSettings(List.of());
        }
        JsonNode node;
        try {
            node = value instanceof String text ? JSON.readTree(text) : JSON.valueToTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(CONTEXT_KEY + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(CONTEXT_KEY + " must be a JSON array of s3://bucket/prefix/ URIs, was "
                    + node);
        }
        List<S3Location> locations = new ArrayList<>();
        for (JsonNode entry : node) {
            try {
                locations.add(S3Location.parse(CONTEXT_KEY, entry.asText()));
            } catch (CapstanException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new BatchLocationSettings(locations);
    }

    /** The value of {@code io.capstan.batch.BatchStateMachine#LOCATIONS_ENV}: the dataset bucket's batch/ and the rest. */
    public String environmentValue(String datasetBucketName) {
        StringBuilder value = new StringBuilder("s3://" + datasetBucketName + "/" + KeyPrefixes.BATCH);
        external.forEach(location -> value.append(',').append(location));
        return value.toString();
    }

    /**
     * Lets {@code role} read (and write, when {@code write}) the objects under each external location, and list
     * them; the prefix wildcards are recorded on the role for cdk-nag.
     */
    public void grantExternal(IRole role, boolean write) {
        if (external.isEmpty()) {
            return;
        }
        List<Object> reviewed = new ArrayList<>();
        for (S3Location location : external) {
            String objects = "arn:aws:s3:::" + location.bucket() + "/" + location.key() + "*";
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(write ? List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload")
                            : List.of("s3:GetObject"))
                    .resources(List.of(objects))
                    .build());
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("s3:ListBucket"))
                    .resources(List.of("arn:aws:s3:::" + location.bucket()))
                    .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(location.key() + "*"))))
                    .build());
            reviewed.add(NagFindings.resource(objects));
        }
        NagFindings.suppress(role, NagFindings.IAM5, "The batch locations the deployment names in " + CONTEXT_KEY
                + ": a job's input and output objects are chosen per job under these prefixes, and nothing else of"
                + " those buckets is granted.", reviewed);
    }
}
