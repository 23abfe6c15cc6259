package io.capstan.trainer.internal;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Batch mode's data staging, done by SageMaker itself elsewhere: downloads an {@code s3://} prefix into a channel
 * directory before training and uploads the model directory after.
 */
public final class S3Staging {

    private final S3Client s3;

    public S3Staging(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * Downloads every object under {@code from} into {@code channel}, keeping key paths below the prefix.
     *
     * @throws CapstanException naming the URI when nothing is there, access is denied or S3 fails
     */
    public void download(S3Location from, Path channel) {
        try {
            List<S3Object> objects = s3.listObjectsV2Paginator(request -> request.bucket(from.bucket())
                            .prefix(from.prefix()))
                    .contents().stream()
                    .filter(object -> !object.key().endsWith("/"))
                    .toList();
            if (objects.isEmpty()) {
                throw new CapstanException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "no object under " + from);
            }
            for (S3Object object : objects) {
                Path target = channel.resolve(relativePath(from, object.key())).normalize();
                if (!target.startsWith(channel.normalize())) {
                    throw CapstanException.invalidParameter("object key '" + object.key() + "' under " + from
                            + " leaves the channel directory");
                }
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                s3.getObject(request -> request.bucket(from.bucket()).key(object.key()), target);
            }
        } catch (SdkException e) {
            throw failure("download " + from, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + channel, e);
        }
    }

    /** Uploads every regular file directly in {@code directory} to {@code to}, under its file name. */
    public void upload(Path directory, S3Location to) {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                s3.putObject(request -> request.bucket(to.bucket()).key(to.keyFor(file.getFileName().toString())),
                        RequestBody.fromFile(file));
            }
        } catch (SdkException e) {
            throw failure("upload to " + to, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /**
     * Where an object lands below the channel directory: its key below the prefix taken as a folder, or its file name
     * when the prefix is not a folder of the key ({@code s3://b/data/train.csv} itself, or {@code data/train-2.csv}
     * under the prefix {@code data/train}).
     */
    static String relativePath(S3Location from, String key) {
        String prefix = from.prefix();
        if (prefix.isEmpty() || prefix.endsWith("/")) {
            return key.substring(prefix.length());
        }
        if (key.startsWith(prefix + "/")) {
            return key.substring(prefix.length() + 1);
        }
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static CapstanException failure(String action, SdkException e) {
        if (e instanceof S3Exception s3 && (s3.statusCode() == 403 || s3.statusCode() == 404)) {
            ErrorCode code = s3.statusCode() == 403 ? ErrorCode.PERMISSION_DENIED : ErrorCode.RESOURCE_DOES_NOT_EXIST;
            return new CapstanException(code, "cannot " + action + ": " + s3.getMessage(), e);
        }
        return new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE, "cannot " + action + ": " + e.getMessage(), e);
    }
}
