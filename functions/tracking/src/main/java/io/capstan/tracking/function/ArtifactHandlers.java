package io.capstan.tracking.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.http.HttpResponse;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.ArtifactStore.ArtifactContent;
import io.capstan.tracking.ArtifactStore.ArtifactEntry;
import io.capstan.tracking.ArtifactStore.CompletedPart;
import io.capstan.tracking.ArtifactStore.MultipartUpload;
import io.capstan.tracking.Run;
import io.capstan.tracking.TrackingService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proxied artifacts ({@code /api/2.0/mlflow-artifacts/...}) and the run-scoped artifact listing. Objects larger
 * than a Lambda response can carry are answered with a redirect to a presigned S3 URL; large uploads use MLflow's
 * multipart endpoints, whose parts go straight to S3 through presigned URLs.
 */
final class ArtifactHandlers {
    /** Above this, a download is redirected to S3: Lambda's 6 MB response limit, less base64's growth. */
    static final long MAX_PROXIED_DOWNLOAD_BYTES = 4L * 1024 * 1024;
    static final int MAX_MULTIPART_PARTS = 10_000;
    private static final Duration PRESIGN_VALIDITY = Duration.ofHours(1);
    private static final String PROXY_SCHEME = "mlflow-artifacts:/";

    private final ArtifactStore artifacts;
    private final TrackingService tracking;

    ArtifactHandlers(ArtifactStore artifacts, TrackingService tracking) {
        this.artifacts = artifacts;
        this.tracking = tracking;
    }

    Map<String, OperationHandler> handlers() {
        Map<String, OperationHandler> h = new HashMap<>();
        h.put("UploadArtifact", (req, path) -> {
            artifacts.put(ArtifactPaths.check(path.get("path")), req.body());
            return JsonResponses.empty();
        });
        h.put("DownloadArtifact", (req, path) -> download(ArtifactPaths.check(path.get("path"))));
        h.put("DeleteArtifact", (req, path) -> {
            artifacts.delete(ArtifactPaths.check(path.get("path")));
            return JsonResponses.empty();
        });
        h.put("ListProxiedArtifacts", (req, path) -> {
            String folder = ArtifactPaths.checkFolder(req.queryParameter("path").orElse(""));
            return JsonResponses.ok(files(artifacts.list(folder)));
        });
        h.put("ListArtifacts", (req, path) -> listRunArtifacts(req));
        h.put("CreateMultipartUpload", (req, path) -> createMultipart(req, ArtifactPaths.check(path.get("path"))));
        h.put("CompleteMultipartUpload", (req, path) -> completeMultipart(req, ArtifactPaths.check(path.get("path"))));
        h.put("AbortMultipartUpload", (req, path) -> {
            String key = ArtifactPaths.check(path.get("path"));
            artifacts.abortMultipartUpload(key, RequestFields.of(req).requiredString("upload_id"));
            return JsonResponses.empty();
        });
        return h;
    }

    private HttpResponse download(String key) {
        ArtifactContent content = artifacts.get(key).orElseThrow(() -> CapstanException.notFound(
                "Artifact '" + key + "' does not exist."));
        try (InputStream in = content.stream()) {
            if (content.size() > MAX_PROXIED_DOWNLOAD_BYTES) {
                return new HttpResponse(307, Map.of("Location",
                        artifacts.presignGet(key, PRESIGN_VALIDITY).toString()), new byte[0]);
            }
            return HttpResponse.bytes(200, contentType(key), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading artifact " + key, e);
        }
    }

    private HttpResponse listRunArtifacts(HttpRequest req) {
        RequestFields f = RequestFields.of(req);
        String runId = f.optionalString("run_id").or(() -> f.optionalString("run_uuid"))
                .orElseThrow(() -> RequestFields.missing("run_id"));
        Run run = tracking.getRun(runId);
        String relative = ArtifactPaths.checkFolder(f.optionalString("path").orElse(""));
        String root = run.info().artifactUri();
        if (!root.startsWith(PROXY_SCHEME)) {
            throw CapstanException.invalidParameter("Run " + runId + " stores its artifacts at '" + root
                    + "', outside Capstan's artifact store; list them with the store's own client.");
        }
        String base = root.substring(PROXY_SCHEME.length());
        String folder = relative.isEmpty() ? base : base + "/" + relative;
        ObjectNode out = files(artifacts.list(folder).stream()
                .map(e -> new ArtifactEntry(e.path().substring(base.length() + 1), e.isDir(), e.size()))
                .toList());
        out.put("root_uri", root);
        return JsonResponses.ok(out);
    }

    private HttpResponse createMultipart(HttpRequest req, String key) {
        RequestFields f = RequestFields.of(req);
        long parts = f.optionalLong("num_parts").orElseThrow(() -> RequestFields.missing("num_parts"));
        if (parts < 1 || parts > MAX_MULTIPART_PARTS) {
            throw CapstanException.invalidParameter("Invalid value " + parts + " for parameter 'num_parts':"
                    + " it must be between 1 and " + MAX_MULTIPART_PARTS + ".");
        }
        MultipartUpload upload = artifacts.createMultipartUpload(key, (int) parts, PRESIGN_VALIDITY);
        ObjectNode out = MlflowJson.object().put("upload_id", upload.uploadId());
        ArrayNode credentials = out.putArray("credentials");
        upload.parts().forEach(p -> credentials.add(MlflowJson.object()
                .put("part_number", p.partNumber()).put("url", p.url().toString())));
        return JsonResponses.ok(out);
    }

    private HttpResponse completeMultipart(HttpRequest req, String key) {
        RequestFields f = RequestFields.of(req);
        String uploadId = f.requiredString("upload_id");
        List<CompletedPart> parts = new ArrayList<>();
        for (RequestFields p : f.objectList("parts")) {
            long number = p.optionalLong("part_number").orElseThrow(() -> RequestFields.missing("parts.part_number"));
            parts.add(new CompletedPart((int) number, p.requiredString("etag")));
        }
        if (parts.isEmpty()) {
            throw RequestFields.missing("parts");
        }
        artifacts.completeMultipartUpload(key, uploadId, parts);
        return JsonResponses.empty();
    }

    private static ObjectNode files(List<ArtifactEntry> entries) {
        ObjectNode out = MlflowJson.object();
        if (!entries.isEmpty()) {
            ArrayNode files = out.putArray("files");
            for (ArtifactEntry e : entries) {
                ObjectNode file = files.addObject().put("path", e.path()).put("is_dir", e.isDir());
                if (!e.isDir()) {
                    file.put("file_size", e.size());
                }
            }
        }
        return out;
    }

    private static String contentType(String key) {
        String guessed = URLConnection.guessContentTypeFromName(key);
        return guessed == null ? "application/octet-stream" : guessed;
    }
}
