package io.capstan.registration;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.Run;
import io.capstan.tracking.TrackingService;
import java.util.List;
import java.util.Optional;

/**
 * Where a model version's source is in Capstan's artifact store. MLflow's registry takes any source; those that name
 * a place in the artifact store ({@code runs:/<run>/<path>}, {@code models:/<logged model id>},
 * {@code mlflow-artifacts:/<path>}, {@code s3://<artifact bucket>/<key>}) are found there, anything else is recorded
 * as given.
 */
final class SourceLocator {
    static final String PROXY_SCHEME = "mlflow-artifacts:";

    private final String artifactBucket;
    private final TrackingService tracking;

    SourceLocator(String artifactBucket, TrackingService tracking) {
        this.artifactBucket = artifactBucket;
        this.tracking = tracking;
    }

    /** Where a source is. */
    sealed interface Location permits InStore, Elsewhere {
    }

    /** @param key the object or folder key in the artifact bucket, no leading or trailing slash */
    record InStore(String key) implements Location {
    }

    /** @param reason why Capstan cannot read it, for the version's servability verdict */
    record Elsewhere(String reason) implements Location {
    }

    Location locate(String source, Optional<Run> run) {
        if (source.startsWith("models:/")) {
            return loggedModel(source.substring("models:/".length()));
        }
        if (source.startsWith("runs:/")) {
            if (run.isEmpty()) {
                return new Elsewhere("its source run " + runId(source) + " does not exist in this tracking server");
            }
            String root = run.get().info().artifactUri();
            if (!root.startsWith(PROXY_SCHEME)) {
                return new Elsewhere("its run keeps artifacts at '" + root + "', outside Capstan's artifact store");
            }
            String rest = source.substring("runs:/".length());
            String path = rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : "";
            return inStore(stripScheme(root) + "/" + path, source);
        }
        if (source.startsWith(PROXY_SCHEME)) {
            return inStore(stripScheme(source), source);
        }
        if (source.startsWith("s3://")) {
            String rest = source.substring("s3://".length());
            String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            if (!bucket.equals(artifactBucket)) {
                return new Elsewhere("its source is in bucket '" + bucket + "'; Capstan copies and serves models from"
                        + " its artifact bucket (s3://" + artifactBucket + "/...) only");
            }
            return inStore(rest.substring(bucket.length()), source);
        }
        return new Elsewhere("its source '" + source + "' is outside Capstan's artifact store; log the model to this"
                + " tracking server (runs:/ or mlflow-artifacts:/) to have it copied and served");
    }

    /**
     * {@code models:/<model id>}, MLflow 3's logged model: its artifact location. A registered model's
     * {@code models:/<name>/<version>} is recorded as given, as MLflow 2's file store does.
     */
    private Location loggedModel(String rest) {
        String id = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        if (!LoggedModel.ID.matcher(id).matches()) {
            return new Elsewhere("its source 'models:/" + rest + "' names a registered model version, not a logged"
                    + " model; register the logged model (models:/<model id>) or the run's folder (runs:/<run>/<path>)"
                    + " instead");
        }
        LoggedModel model;
        try {
            model = tracking.getLoggedModel(id);
        } catch (CapstanException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return new Elsewhere("its logged model " + id + " does not exist in this tracking server");
            }
            throw e;
        } catch (IllegalStateException e) {
            return new Elsewhere("this registry is not wired to logged models, so models:/" + id + " cannot be found");
        }
        String location = model.artifactLocation();
        if (!location.startsWith(PROXY_SCHEME)) {
            return new Elsewhere("its logged model keeps artifacts at '" + location + "', outside Capstan's artifact"
                    + " store");
        }
        return inStore(stripScheme(location), "models:/" + rest);
    }

    /** The run a version names, or that a {@code runs:/} source names; empty when it names none or none exists. */
    Optional<Run> sourceRun(String runId, String source) {
        String id = runId.isEmpty() && source.startsWith("runs:/") ? runId(source) : runId;
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(tracking.getRun(id));
        } catch (CapstanException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST || e.errorCode() == ErrorCode.INVALID_PARAMETER_VALUE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static String runId(String source) {
        String rest = source.substring("runs:/".length());
        return rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    }

    /** {@code mlflow-artifacts:/a/b}, {@code mlflow-artifacts://host:port/a/b}: the path after the authority. */
    private static String stripScheme(String uri) {
        String rest = uri.substring(PROXY_SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return rest;
    }

    private static Location inStore(String path, String source) {
        String key = path.replaceAll("^/+", "").replaceAll("/+$", "");
        if (key.isEmpty() || List.of(key.split("/")).stream().anyMatch(p -> p.isEmpty() || p.equals("..")
                || p.equals("."))) {
            throw CapstanException.invalidParameter("Invalid model version source: '" + source + "' is not a path in"
                    + " the artifact store (no '.', '..' or empty segments).");
        }
        return new InStore(key);
    }
}
