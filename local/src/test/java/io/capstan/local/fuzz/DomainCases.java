package io.capstan.local.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bad input only some routes can be given, all of it sent: objects a drift check cannot read (missing, in no bucket, in
 * a bucket with an invalid name, behind {@code ..}, empty, not CSV, a folder, keys over S3's 1024 bytes) and artifact
 * paths no store can hold (2,000 characters, names over 255 bytes, the registry's copies, {@code .} segments).
 */
final class DomainCases {
    private DomainCases() {
    }

    static List<FuzzCase> of(RequestShape shape, FuzzFixtures fixtures) {
        return switch (shape.route.operation()) {
            case "RunDriftCheck" -> drift(shape, fixtures.datasets);
            case "UploadArtifact", "DownloadArtifact", "DeleteArtifact" -> artifacts(shape, fixtures);
            default -> List.of();
        };
    }

    private static List<FuzzCase> drift(RequestShape shape, String datasets) {
        String folder = "s3://" + datasets + "/datasets/fuzz/";
        List<String> uris = new ArrayList<>(List.of("s3://no-such-bucket-fuzz/a.csv", "s3://AB/x.csv",
                "s3://bucket_with_underscore/x.csv", "s3://" + datasets + "/../../etc/passwd",
                "s3://" + datasets + "/datasets/fuzz/./current.csv", "s3://" + datasets + "/" + "k".repeat(2000),
                folder, folder + "missing.csv", "file:///etc/passwd", "s3://capstan-capture/reports",
                "s3://" + datasets + "/datasets//fuzz/current.csv", "s3:///datasets/x.csv"));
        FuzzFixtures.BAD_DATASETS.keySet().forEach(name -> uris.add(folder + name));
        List<FuzzCase> cases = new ArrayList<>();
        for (String uri : uris) {
            for (String field : List.of("dataset_uri", "reference_uri")) {
                ObjectNode body = shape.fields.deepCopy().put(field, uri);
                cases.add(new FuzzCase(shape.route, "domain", field + " = " + uri, "POST", shape.path(null, null),
                        "application/json", shape.body(body), false));
            }
        }
        ObjectNode noReference = shape.fields.deepCopy();
        noReference.remove("reference_uri");
        noReference.remove("categorical");
        cases.add(new FuzzCase(shape.route, "domain", "dataset against the version's profile", "POST",
                shape.path(null, null), "application/json", shape.body(noReference), false));
        return cases;
    }

    private static List<FuzzCase> artifacts(RequestShape shape, FuzzFixtures fixtures) {
        String run = fixtures.placeholders.get("exp") + "/" + fixtures.placeholders.get("run") + "/artifacts/";
        List<String> paths = List.of(run + "a".repeat(2000), run + "s".repeat(300), run + "é".repeat(200),
                run + "d/".repeat(300) + "f", "x".repeat(1100), "registry/fuzz-model/1/model.onnx", "registry",
                run + "a/./b", run + "a\\b", run + "trailing/", "/" + run + "leading");
        List<FuzzCase> cases = new ArrayList<>();
        for (String path : paths) {
            String target = shape.path("path", RequestShape.encodeSegments(path));
            boolean upload = shape.route.method().equals("PUT");
            cases.add(new FuzzCase(shape.route, "domain", "path of " + path.length() + " characters: "
                    + (path.length() > 60 ? path.substring(0, 60) + "..." : path), shape.route.method(), target,
                    upload ? "application/octet-stream" : null, upload ? "x".getBytes(StandardCharsets.UTF_8) : null,
                    false));
        }
        return cases;
    }
}
