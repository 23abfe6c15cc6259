package io.capstan.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.tracking.ArtifactStore.ArtifactContent;
import io.capstan.tracking.ArtifactStore.ArtifactEntry;
import io.capstan.tracking.ArtifactStore.CompletedPart;
import io.capstan.tracking.ArtifactStore.MultipartUpload;
import io.capstan.tracking.ArtifactStore.PartUrl;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The behaviour every S3 back end must show; subclasses supply the S3 endpoint (S3Proxy, LocalStack).
 */
abstract class S3ArtifactStoreContract {

    private static final int MB = 1024 * 1024;
    private static final Duration VALIDITY = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newHttpClient();
    private S3ArtifactStore store;

    protected abstract S3Client s3();

    protected abstract S3Presigner presigner();

    @BeforeEach
    void newBucket() {
        String bucket = "artifacts-" + UUID.randomUUID().toString().substring(0, 8);
        S3BucketBootstrap.createIfMissing(s3(), bucket);
        store = new S3ArtifactStore(s3(), presigner(), bucket);
    }

    @Test
    void get_afterPut_returnsSameBytes() throws Exception {
        byte[] small = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] large = randomBytes(MB, 1);

        store.put("1/run/artifacts/hello.txt", small);
        store.put("1/run/artifacts/blob.bin", large);

        assertThat(read(store.get("1/run/artifacts/hello.txt"))).isEqualTo(small);
        try (InputStream in = store.get("1/run/artifacts/blob.bin").orElseThrow().stream()) {
            assertThat(in.readAllBytes()).isEqualTo(large);
        }
        assertThat(store.get("1/run/artifacts/blob.bin").orElseThrow().size()).isEqualTo(MB);
    }

    @Test
    void get_missingKey_returnsEmpty() {
        assertThat(store.get("1/run/artifacts/nothing-here")).isEmpty();
    }

    @Test
    void listTree_nestedFolders_returnsEveryFileAtAnyDepthSortedAndNothingBeside() {
        store.put("1/r/artifacts/model/MLmodel", new byte[3]);
        store.put("1/r/artifacts/model/data/model.onnx", new byte[7]);
        store.put("1/r/artifacts/model/", new byte[0]);
        store.put("1/r/artifacts/modelX/decoy.txt", new byte[1]);

        List<ArtifactEntry> tree = store.listTree("1/r/artifacts/model");

        assertThat(tree).containsExactly(new ArtifactEntry("1/r/artifacts/model/MLmodel", false, 3),
                new ArtifactEntry("1/r/artifacts/model/data/model.onnx", false, 7));
        assertThat(store.listTree("1/r/artifacts/model/MLmodel")).isEmpty();
    }

    @Test
    void copy_object_writesTheSameBytesUnderTheNewKeyAndKeepsTheOld() throws Exception {
        byte[] bytes = randomBytes(2 * MB, 7);
        store.put("1/r/artifacts/model/model.onnx", bytes);

        store.copy("1/r/artifacts/model/model.onnx", "registry/m/1/abc/model.onnx");

        assertThat(read(store.get("registry/m/1/abc/model.onnx"))).isEqualTo(bytes);
        assertThat(read(store.get("1/r/artifacts/model/model.onnx"))).isEqualTo(bytes);
    }

    @Test
    void list_nestedFolders_returnsDirectChildrenRelativeToRoot() {
        store.put("1/r/artifacts/metrics.json", new byte[12]);
        store.put("1/r/artifacts/model/MLmodel", new byte[3]);
        store.put("1/r/artifacts/model/data/model.onnx", new byte[7]);
        store.put("1/r/artifacts/plots/a.png", new byte[1]);
        store.put("1/r/artifactsX/decoy.txt", new byte[1]);

        List<ArtifactEntry> root = store.list("1/r/artifacts");
        List<ArtifactEntry> model = store.list("1/r/artifacts/model/");

        assertThat(root).containsExactly(
                new ArtifactEntry("1/r/artifacts/metrics.json", false, 12),
                new ArtifactEntry("1/r/artifacts/model", true, 0),
                new ArtifactEntry("1/r/artifacts/plots", true, 0));
        assertThat(model).containsExactly(
                new ArtifactEntry("1/r/artifacts/model/MLmodel", false, 3),
                new ArtifactEntry("1/r/artifacts/model/data", true, 0));
        assertThat(store.list("1/r/nothing")).isEmpty();
        assertThat(store.list("")).containsExactly(new ArtifactEntry("1", true, 0));
    }

    @Test
    void list_moreThanOnePage_returnsEveryChild() {
        for (int i = 0; i < 1005; i++) {
            store.put("p/f" + i, new byte[0]);
        }

        assertThat(store.list("p")).hasSize(1005);
    }

    @Test
    void delete_folder_removesEverythingUnderItOnly() {
        store.put("1/r/artifacts/model/MLmodel", new byte[3]);
        store.put("1/r/artifacts/model/data/model.onnx", new byte[7]);
        store.put("1/r/artifacts/model.txt", new byte[1]);
        store.put("1/r/artifacts/keep.txt", new byte[1]);

        store.delete("1/r/artifacts/model");

        assertThat(store.list("1/r/artifacts")).containsExactly(
                new ArtifactEntry("1/r/artifacts/keep.txt", false, 1),
                new ArtifactEntry("1/r/artifacts/model.txt", false, 1));
    }

    @Test
    void delete_object_removesOnlyThatObject() {
        store.put("a/b.txt", new byte[1]);
        store.put("a/b.txt.bak", new byte[1]);

        store.delete("a/b.txt");
        store.delete("a/never-there");

        assertThat(store.get("a/b.txt")).isEmpty();
        assertThat(store.get("a/b.txt.bak")).isPresent();
    }

    @Test
    void delete_emptyPath_isRefused() {
        assertThatThrownBy(() -> store.delete(""))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    @Test
    void presignGet_fetchedWithPlainHttp_returnsObject() throws Exception {
        byte[] content = randomBytes(64 * 1024, 2);
        store.put("1/r/artifacts/model.onnx", content);

        URI url = store.presignGet("1/r/artifacts/model.onnx", VALIDITY);
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void completeMultipartUpload_partsPutThroughPresignedUrls_assemblesObject() throws Exception {
        byte[] first = randomBytes(5 * MB, 3);
        byte[] last = randomBytes(123_457, 4);

        MultipartUpload upload = store.createMultipartUpload("1/r/artifacts/big.bin", 2, VALIDITY);
        List<CompletedPart> parts = new ArrayList<>();
        parts.add(new CompletedPart(2, putPart(upload.parts().get(1), last)));
        parts.add(new CompletedPart(1, putPart(upload.parts().get(0), first)));
        store.completeMultipartUpload("1/r/artifacts/big.bin", upload.uploadId(), parts);

        assertThat(upload.parts()).extracting(PartUrl::partNumber).containsExactly(1, 2);
        ArtifactContent content = store.get("1/r/artifacts/big.bin").orElseThrow();
        assertThat(content.size()).isEqualTo(first.length + last.length);
        byte[] expected = new byte[first.length + last.length];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(last, 0, expected, first.length, last.length);
        try (InputStream in = content.stream()) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }

    @Test
    void completeMultipartUpload_firstPartUnderFiveMegabytes_isInvalidParameter() throws Exception {
        MultipartUpload upload = store.createMultipartUpload("small.bin", 2, VALIDITY);
        String etag1 = putPart(upload.parts().get(0), randomBytes(1024, 5));
        String etag2 = putPart(upload.parts().get(1), randomBytes(1024, 6));

        assertThatThrownBy(() -> store.completeMultipartUpload("small.bin", upload.uploadId(),
                List.of(new CompletedPart(1, etag1), new CompletedPart(2, etag2))))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    @Test
    void abortMultipartUpload_thenComplete_isNotFound() throws Exception {
        MultipartUpload upload = store.createMultipartUpload("aborted.bin", 1, VALIDITY);
        String etag = putPart(upload.parts().get(0), randomBytes(1024, 7));

        store.abortMultipartUpload("aborted.bin", upload.uploadId());

        assertThatThrownBy(() -> store.completeMultipartUpload("aborted.bin", upload.uploadId(),
                List.of(new CompletedPart(1, etag))))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThat(store.get("aborted.bin")).isEmpty();
    }

    @Test
    void abortMultipartUpload_unknownUploadId_isNotFound() {
        assertThatThrownBy(() -> store.abortMultipartUpload("x.bin", "no-such-upload"))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void createMultipartUpload_partCountOutOfRange_isInvalidParameter() {
        assertThatThrownBy(() -> store.createMultipartUpload("x.bin", 0, VALIDITY))
                .isInstanceOfSatisfying(CapstanException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE));
    }

    private String putPart(PartUrl part, byte[] bytes) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(part.url())
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("PUT part %d: %s", part.partNumber(), response.body()).isEqualTo(200);
        return response.headers().firstValue("ETag").orElseThrow();
    }

    private static byte[] read(Optional<ArtifactContent> content) throws Exception {
        try (InputStream in = content.orElseThrow().stream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
