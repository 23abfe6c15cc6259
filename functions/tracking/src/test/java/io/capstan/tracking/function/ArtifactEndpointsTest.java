package io.capstan.tracking.function;

import static io.capstan.tracking.function.MlflowCalls.API;
import static io.capstan.tracking.function.MlflowCalls.ARTIFACTS;
import static io.capstan.tracking.function.MlflowCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proxied artifacts on S3Proxy, answered as MLflow's server answers them: listings name each child by its base name
 * (mlflow-artifacts) or by its path under the run's root (artifacts/list), a file or missing folder lists empty, and
 * multipart uploads put the client's file into the folder the URL names.
 */
class ArtifactEndpointsTest {
    private static final byte[] BINARY = new byte[256];
    private static TrackingTestPlatform platform;
    private static MlflowCalls mlflow;
    private final HttpClient http = HttpClient.newHttpClient();
    private String runId;
    private String root;

    @BeforeAll
    static void start() throws Exception {
        platform = new TrackingTestPlatform();
        mlflow = new MlflowCalls(platform.function);
        for (int i = 0; i < BINARY.length; i++) {
            BINARY[i] = (byte) i;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    /** A run holding a.txt, dir/c.txt and dir/sub/b.bin (every byte value once). */
    @BeforeEach
    void runWithArtifacts() {
        String exp = mlflow.newExperiment("artifacts-" + System.nanoTime());
        runId = mlflow.newRun(exp);
        root = exp + "/" + runId + "/artifacts";
        MlflowCalls.ok(mlflow.put(ARTIFACTS + "/artifacts/" + root + "/a.txt", "hello".getBytes(StandardCharsets.UTF_8)));
        MlflowCalls.ok(mlflow.put(ARTIFACTS + "/artifacts/" + root + "/dir/c.txt", "hi!".getBytes(StandardCharsets.UTF_8)));
        MlflowCalls.ok(mlflow.put(ARTIFACTS + "/artifacts/" + root + "/dir/sub/b.bin", BINARY));
    }

    private JsonNode listProxied(String path) {
        return mlflow.okGet(ARTIFACTS + "/artifacts", path == null ? "" : "path=" + path);
    }

    @Test
    void listProxiedArtifacts_runRoot_answersBaseNamesWithFileSizes() {
        JsonNode listing = listProxied(root);

        assertThat(listing.toString()).isEqualTo("{\"files\":[{\"path\":\"a.txt\",\"is_dir\":false,\"file_size\":5},"
                + "{\"path\":\"dir\",\"is_dir\":true}]}");
    }

    @Test
    void listProxiedArtifacts_nestedFolderWithOrWithoutSlash_answersItsChildrenByBaseName() {
        String expected = "{\"files\":[{\"path\":\"c.txt\",\"is_dir\":false,\"file_size\":3},"
                + "{\"path\":\"sub\",\"is_dir\":true}]}";

        assertThat(listProxied(root + "/dir").toString()).isEqualTo(expected);
        assertThat(listProxied(root + "/dir/").toString()).isEqualTo(expected);
        assertThat(listProxied(root + "/dir/sub").toString())
                .isEqualTo("{\"files\":[{\"path\":\"b.bin\",\"is_dir\":false,\"file_size\":256}]}");
    }

    @Test
    void listProxiedArtifacts_filePathOrMissingFolder_answersEmptyObject() {
        assertThat(listProxied(root + "/a.txt").toString()).isEqualTo("{}");
        assertThat(listProxied(root + "/nothere").toString()).isEqualTo("{}");
    }

    @Test
    void listProxiedArtifacts_noPath_listsTheStoreRootByBaseName() {
        JsonNode listing = listProxied(null);

        assertThat(listing.get("files")).allSatisfy(f -> assertThat(f.get("path").asText()).doesNotContain("/"));
        assertThat(listing.get("files")).anySatisfy(f -> assertThat(f.get("path").asText())
                .isEqualTo(root.substring(0, root.indexOf('/'))));
    }

    @Test
    void listArtifacts_runScoped_answersPathsUnderTheRunRootAndRootUri() {
        String rootUri = "mlflow-artifacts:/" + root;

        assertThat(mlflow.okGet(API + "/artifacts/list", "run_id=" + runId).toString())
                .isEqualTo("{\"root_uri\":\"" + rootUri + "\",\"files\":[{\"path\":\"a.txt\",\"is_dir\":false,"
                        + "\"file_size\":5},{\"path\":\"dir\",\"is_dir\":true}]}");
        assertThat(mlflow.okGet(API + "/artifacts/list", "run_id=" + runId + "&path=dir/sub").toString())
                .isEqualTo("{\"root_uri\":\"" + rootUri + "\",\"files\":[{\"path\":\"dir/sub/b.bin\",\"is_dir\":false,"
                        + "\"file_size\":256}]}");
        assertThat(mlflow.okGet(API + "/artifacts/list", "run_id=" + runId + "&path=a.txt").toString())
                .isEqualTo("{\"root_uri\":\"" + rootUri + "\"}");
    }

    @Test
    void downloadArtifact_binaryFile_sameBytesAsAttachment() {
        HttpResponse response = mlflow.get(ARTIFACTS + "/artifacts/" + root + "/dir/sub/b.bin", "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BINARY);
        assertThat(response.headers()).containsEntry("Content-Type", "application/octet-stream")
                .containsEntry("Content-Disposition", "attachment; filename=b.bin")
                .containsEntry("X-Content-Type-Options", "nosniff");
    }

    @Test
    void downloadArtifact_folderOrMissingFile_notFound() {
        assertError(mlflow.get(ARTIFACTS + "/artifacts/" + root + "/dir", ""), 404, "RESOURCE_DOES_NOT_EXIST", "dir");
        assertError(mlflow.get(ARTIFACTS + "/artifacts/" + root + "/missing.txt", ""), 404, "RESOURCE_DOES_NOT_EXIST",
                "missing.txt");
    }

    @Test
    void deleteArtifact_folder_deletesEverythingUnderItAndMissingPathIsFine() {
        MlflowCalls.ok(mlflow.call("DELETE", ARTIFACTS + "/artifacts/" + root + "/dir", null));
        MlflowCalls.ok(mlflow.call("DELETE", ARTIFACTS + "/artifacts/" + root + "/nothere", null));

        assertThat(listProxied(root).toString())
                .isEqualTo("{\"files\":[{\"path\":\"a.txt\",\"is_dir\":false,\"file_size\":5}]}");
        assertThat(listProxied(root + "/dir/sub").toString()).isEqualTo("{}");
    }

    @Test
    void multipartUpload_createPutPartsComplete_storesClientFileInUrlFolder() throws Exception {
        byte[] first = randomBytes(5 * 1024 * 1024, 1);
        byte[] last = randomBytes(1000, 2);
        String folder = ARTIFACTS + "/mpu/%s/" + root + "/data";

        JsonNode created = mlflow.ok("POST", folder.formatted("create"), "{\"path\":\"/tmp/x/big.bin\",\"num_parts\":2}");
        String etag1 = putPart(created.at("/credentials/0/url").asText(), first);
        String etag2 = putPart(created.at("/credentials/1/url").asText(), last);
        mlflow.ok("POST", folder.formatted("complete"), "{\"path\":\"/tmp/x/big.bin\",\"upload_id\":\""
                + created.get("upload_id").asText() + "\",\"parts\":[{\"part_number\":1,\"etag\":" + quote(etag1)
                + "},{\"part_number\":2,\"etag\":" + quote(etag2) + "}]}");

        assertThat(created.at("/credentials/1/part_number").asInt()).isEqualTo(2);
        assertThat(listProxied(root + "/data").toString()).isEqualTo("{\"files\":[{\"path\":\"big.bin\",\"is_dir\":false,"
                + "\"file_size\":" + (first.length + last.length) + "}]}");
    }

    @Test
    void multipartUpload_abortThenComplete_notFoundAndNothingStored() throws Exception {
        String folder = ARTIFACTS + "/mpu/%s/" + root + "/data";
        JsonNode created = mlflow.ok("POST", folder.formatted("create"), "{\"path\":\"small.bin\",\"num_parts\":1}");
        String uploadId = created.get("upload_id").asText();
        String etag = putPart(created.at("/credentials/0/url").asText(), randomBytes(100, 3));

        mlflow.ok("POST", folder.formatted("abort"), "{\"path\":\"small.bin\",\"upload_id\":\"" + uploadId + "\"}");

        assertError(mlflow.call("POST", folder.formatted("complete"), "{\"path\":\"small.bin\",\"upload_id\":\""
                + uploadId + "\",\"parts\":[{\"part_number\":1,\"etag\":" + quote(etag) + "}]}"), 404,
                "RESOURCE_DOES_NOT_EXIST", uploadId);
        assertThat(listProxied(root + "/data").toString()).isEqualTo("{}");
    }

    @Test
    void multipartUpload_missingPathOrPartCount_invalidParameterNamingIt() {
        String create = ARTIFACTS + "/mpu/create/" + root;

        assertError(mlflow.call("POST", create, "{\"num_parts\":1}"), 400, "INVALID_PARAMETER_VALUE", "path");
        assertError(mlflow.call("POST", create, "{\"path\":\"dir/\",\"num_parts\":1}"), 400, "INVALID_PARAMETER_VALUE",
                "path");
        assertError(mlflow.call("POST", create, "{\"path\":\"f.bin\"}"), 400, "INVALID_PARAMETER_VALUE", "num_parts");
    }

    private String putPart(String url, byte[] bytes) throws Exception {
        java.net.http.HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("ETag").orElseThrow();
    }

    private static String quote(String text) throws Exception {
        return new ObjectMapper().writeValueAsString(text);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void registryCopies_putDeleteAndMultipart_areRefusedAndNothingChanges() {
        byte[] card = "{\"output_labels\": [\"a\", \"b\"]}".getBytes(StandardCharsets.UTF_8);
        platform.artifacts.put("registry/iris/1/abcd/model-card.json", card);

        HttpResponse overwrite = mlflow.put(ARTIFACTS + "/artifacts/registry/iris/1/abcd/model-card.json",
                "{\"output_labels\": [\"b\", \"a\"]}".getBytes(StandardCharsets.UTF_8));
        HttpResponse deleteAll = mlflow.call("DELETE", ARTIFACTS + "/artifacts/registry", null);
        HttpResponse deleteOne = mlflow.call("DELETE", ARTIFACTS + "/artifacts/registry/iris/1/abcd/model-card.json", null);
        HttpResponse multipart = mlflow.call("POST", ARTIFACTS + "/mpu/create/registry/iris/1/abcd",
                "{\"path\": \"/tmp/model.onnx\", \"num_parts\": 1}");
        HttpResponse read = mlflow.get(ARTIFACTS + "/artifacts/registry/iris/1/abcd/model-card.json", "");

        assertError(overwrite, 403, "PERMISSION_DENIED", "immutable");
        assertError(deleteAll, 403, "PERMISSION_DENIED", "immutable");
        assertError(deleteOne, 403, "PERMISSION_DENIED", "immutable");
        assertError(multipart, 403, "PERMISSION_DENIED", "immutable");
        assertThat(read.status()).as("clients still read copies, as MLflow's model loading does").isEqualTo(200);
        assertThat(read.body()).isEqualTo(card);
    }

    @Test
    void registryLookalikePaths_areOrdinaryArtifacts() {
        MlflowCalls.ok(mlflow.put(ARTIFACTS + "/artifacts/" + root + "/registry/notes.txt",
                "mine".getBytes(StandardCharsets.UTF_8)));
        MlflowCalls.ok(mlflow.put(ARTIFACTS + "/artifacts/registry-exports/notes.txt",
                "mine".getBytes(StandardCharsets.UTF_8)));

        assertThat(mlflow.call("DELETE", ARTIFACTS + "/artifacts/registry-exports/notes.txt", null).status())
                .isEqualTo(200);
    }
}
