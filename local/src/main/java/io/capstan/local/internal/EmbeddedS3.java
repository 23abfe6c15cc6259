package io.capstan.local.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3Proxy in-process on a free port of 127.0.0.1, keeping each bucket as a folder under a directory and listing only
 * finished objects ({@link FinishedObjectsOnly}), with an
 * {@link S3Client} and {@link S3Presigner} wired for it (path-style, SigV4, static local credentials).
 * Presigned URLs point at this endpoint, so clients on this machine can use them directly.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final String ACCESS_KEY = "capstan-local";
    private static final String SECRET_KEY = "capstan-local-secret";
    private static final int MAX_CONNECTIONS = 64;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;
    private final S3Presigner presigner;

    private EmbeddedS3(S3Proxy proxy, URI endpoint, S3Client client, S3Presigner presigner) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.client = client;
        this.presigner = presigner;
    }

    /** Starts S3Proxy on the objects kept in {@code directory}. */
    public static EmbeddedS3 start(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the S3 data directory " + directory, e);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(FinishedObjectsOnly.of(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString())))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on 127.0.0.1: " + e.getMessage(), e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        return new EmbeddedS3(proxy, endpoint, client(endpoint), presigner);
    }

    /**
     * An S3 client for a platform's S3 endpoint (the one the platform logs as {@code S3Proxy ready at ...}), as any
     * tool on this machine would configure it: path-style, SigV4, the local credentials.
     */
    public static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(Apache5HttpClient.builder().maxConnections(MAX_CONNECTIONS).build())
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return client;
    }

    public S3Presigner presigner() {
        return presigner;
    }

    @Override
    public void close() {
        presigner.close();
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop cleanly: " + e.getMessage(), e);
        }
    }
}
