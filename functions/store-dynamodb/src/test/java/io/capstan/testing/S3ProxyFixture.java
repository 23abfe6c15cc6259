package io.capstan.testing;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3Proxy started in-process on a free port of 127.0.0.1, with an {@link S3Client} and {@link S3Presigner} wired
 * for it (path-style, static credentials). Close it to stop the server and the clients.
 */
public final class S3ProxyFixture implements AutoCloseable {

    private static final String ACCESS_KEY = "access";
    private static final String SECRET_KEY = "secret";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;
    private final S3Presigner presigner;

    private S3ProxyFixture(BlobStore store) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** S3Proxy keeping objects as files under {@code directory}. */
    public static S3ProxyFixture filesystem(Path directory) throws Exception {
        return new S3ProxyFixture(new FilesystemNio2BlobStore(directory.toString()));
    }

    /** S3Proxy keeping objects in memory. */
    public static S3ProxyFixture transientStore() throws Exception {
        return new S3ProxyFixture(new TransientNio2BlobStore());
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
    public void close() throws Exception {
        presigner.close();
        client.close();
        proxy.stop();
    }
}
