package io.capstan.tracking.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.ArtifactStore.ArtifactContent;
import io.capstan.tracking.ArtifactStore.ArtifactEntry;
import io.capstan.tracking.ArtifactStore.CompletedPart;
import io.capstan.tracking.ArtifactStore.MultipartUpload;
import io.capstan.tracking.LoggedModel;
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
import java.util.Set;

/**
 * Proxied artifacts ({@code /api/2.0/mlflow-artifacts/...}) and the run-scoped artifact listing. Objects larger
 * than a Lambda response can carry are answered with a redirect to a presigned S3 URL; large uploads use MLflow's
 * multipart endpoints, whose parts go straight to S3 through presigned URLs.
 */
final class ArtifactHandlers {
    /** Above this, a download is redirected to S3: Lambda's 6 MB response limit, less base64's growth. */
    static final long MAX_PROXIED_DOWNLOAD_BYTES = 4L * 1024 * 1024;
    static final int MAX_MULTIPART_PARTS = 10_000;
    /** Upload ids and part ETags S3 hands out are far shorter; longer ones cannot name anything. */
    static final int MAX_UPLOAD_TOKEN_LENGTH = 1024;
    private static final Duration PRESIGN_VALIDITY = Duration.ofHours(1);
    private static final String PROXY_SCHEME = "mlflow-artifacts:/";
    /** The extensions (and extension-less names) MLflow's server answers as {@code text/plain}. */
    private static final Set<String> TEXT_EXTENSIONS = Set.of("txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini",
            "properties", "prop", "hocon", "toml", "yaml", "yml", "xml", "json", "js", "py", "py3", "csv", "tsv", "md",
            "rst", "MLmodel", "MLproject");

    private final ArtifactStore artifacts;
    private final TrackingService tracking;

    ArtifactHandlers(ArtifactStore artifacts, TrackingService tracking) {
        this.artifacts = artifacts;
        this.tracking = tracking;
    }

    Map<String, OperationHandler> handlers() {
        Map<String, OperationHandler> h = new HashMap<>();
        h.put("UploadArtifact", (req, path) -> {
            artifacts.put(ArtifactPaths.checkWritable(path.get("path")), req.body());
            return JsonResponses.empty();
        });
        h.put("DownloadArtifact", (req, path) -> download(ArtifactPaths.check(path.get("path"))));
        h.put("DeleteArtifact", (req, path) -> {
            artifacts.delete(ArtifactPaths.checkWritable(path.get("path")));
            return JsonResponses.empty();
        });
        h.put("ListProxiedArtifacts", (req, path) -> {
            String folder = ArtifactPaths.checkFolder(req.queryParameter("path").orElse(""));
            return JsonResponses.ok(files(children(folder, "")));
        });
        h.put("ListArtifacts", (req, path) -> listRunArtifacts(req));
        h.put("ListLoggedModelArtifacts", (req, path) -> {
            LoggedModel model = tracking.getLoggedModel(path.get("model_id"));
            String relative = ArtifactPaths.checkFolder(req.queryParameter("artifact_directory_path").orElse(""));
            return listUnderRoot(model.artifactLocation(), relative, "Logged model " + model.modelId());
        });
        h.put("CreateMultipartUpload", (req, path) -> createMultipart(req, multipartKey(req, path.get("path"))));
        h.put("CompleteMultipartUpload", (req, path) -> completeMultipart(req, multipartKey(req, path.get("path"))));
        h.put("AbortMultipartUpload", (req, path) -> {
            String key = multipartKey(req, path.get("path"));
            artifacts.abortMultipartUpload(key, uploadId(RequestFields.of(req)));
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
            String fileName = key.substring(key.lastIndexOf('/') + 1);
            return new HttpResponse(200, Map.of("Content-Type", contentType(key),
                    "Content-Disposition", "attachment; filename=" + fileName, "X-Content-Type-Options", "nosniff"),
                    in.readAllBytes());
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
        return listUnderRoot(run.info().artifactUri(), relative, "Run " + runId);
    }

    /**
     * A folder under a run's or logged model's artifact root, as MLflow's server lists it: each child's path is
     * relative to the root ({@code <relative>/<name>}), and {@code root_uri} is the root.
     */
    private HttpResponse listUnderRoot(String root, String relative, String owner) {
        if (!root.startsWith(PROXY_SCHEME)) {
            throw CapstanException.invalidParameter(owner + " stores its artifacts at '" + root
                    + "', outside Capstan's artifact store; list them with the store's own client.");
        }
        String base = root.substring(PROXY_SCHEME.length());
        String folder = relative.isEmpty() ? base : base + "/" + relative;
        ObjectNode out = MlflowJson.object().put("root_uri", root);
        out.setAll(files(children(folder, relative.isEmpty() ? "" : relative + "/")));
        return JsonResponses.ok(out);
    }

    /**
     * The children of {@code folder}, each named {@code prefix} + its base name, as MLflow's server names them
     * (never by the store's full key). A file or a missing folder has none.
     */
    private List<ArtifactEntry> children(String folder, String prefix) {
        return artifacts.list(folder).stream()
                .map(e -> new ArtifactEntry(prefix + e.path().substring(e.path().lastIndexOf('/') + 1), e.isDir(),
                        e.size()))
                .toList();
    }

    /**
     * Where MLflow's multipart upload puts the file: the URL names the destination folder and the body's
     * {@code path} the client's local file, whose base name is the object's name (as MLflow's S3 repository does).
     */
    private static String multipartKey(HttpRequest req, String folder) {
        String localFile = RequestFields.of(req).requiredString("path");
        String name = localFile.substring(Math.max(localFile.lastIndexOf('/'), localFile.lastIndexOf('\\')) + 1);
        if (name.isEmpty()) {
            throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(localFile) + "' for parameter"
                    + " 'path': it must"
                    + " name the file being uploaded.");
        }
        return ArtifactPaths.checkWritable(ArtifactPaths.check(folder) + "/" + name);
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
        String uploadId = uploadId(f);
        List<CompletedPart> parts = new ArrayList<>();
        List<RequestFields> given = f.objectList("parts");
        if (given.size() > MAX_MULTIPART_PARTS) {
            throw CapstanException.invalidParameter("Invalid value for parameter 'parts': at most " + MAX_MULTIPART_PARTS
                    + " parts, got " + given.size() + ".");
        }
        for (RequestFields p : given) {
            long number = p.optionalLong("part_number").orElseThrow(() -> RequestFields.missing("parts.part_number"));
            if (number < 1 || number > MAX_MULTIPART_PARTS) {
                throw CapstanException.invalidParameter("Invalid value " + number + " for parameter"
                        + " 'parts.part_number': it must be between 1 and " + MAX_MULTIPART_PARTS + ".");
            }
            parts.add(new CompletedPart((int) number, FieldLimits.checkLength("parts.etag", p.requiredString("etag"),
                    MAX_UPLOAD_TOKEN_LENGTH)));
        }
        if (parts.isEmpty()) {
            throw RequestFields.missing("parts");
        }
        artifacts.completeMultipartUpload(key, uploadId, parts);
        return JsonResponses.empty();
    }

    /** The {@code upload_id} S3 gave when the upload was created: opaque, never longer than a few hundred bytes. */
    private static String uploadId(RequestFields f) {
        return FieldLimits.checkLength("upload_id", f.requiredString("upload_id"), MAX_UPLOAD_TOKEN_LENGTH);
    }

    private static ObjectNode files(List<ArtifactEntry> entries) {
        ObjectNode out = MlflowJson.object();
        if (!entries.isEmpty()) {
            ArrayNode files = out.putArray("files");
            for (ArtifactEntry e : entries) {
                ObjectNode file = files.addObject().put("path", e.path()).put("is_dir", e.isDir());
                if (!e.isDir() && e.size() != 0) {
                    file.put("file_size", e.size()); // MLflow's FileInfo leaves a size of 0 out
                }
            }
        }
        return out;
    }

    /** As MLflow's server ({@code _guess_mime_type}): text files by extension, then the platform's guess. */
    static String contentType(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? name : name.substring(dot + 1);
        if (TEXT_EXTENSIONS.contains(extension)) {
            return "text/plain";
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed == null ? "application/octet-stream" : guessed;
    }
}
