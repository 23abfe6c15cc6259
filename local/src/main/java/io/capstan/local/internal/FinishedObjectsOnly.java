package io.capstan.local.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.regex.Pattern;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Proxy's file store as S3 lists it: only finished objects. The store writes an object to {@code <key>-<random
 * UUID>} and renames that file to {@code <key>} once it is complete, and a listing made meanwhile shows the temporary
 * name; a client that then reads it finds no such key, or half an object. S3 never lists an object before its upload
 * completes, and what the platform's readers assume (the demo, the upload watcher, artifact listings) is S3's rule.
 *
 * <p>The price: an object whose key itself ends with {@code -} and a UUID in its canonical form (36 characters, lower
 * case) is not listed by the local platform; it can still be read by its key. No key Capstan writes has that shape.
 *
 * <p>A JDK proxy rather than a delegating class: {@link BlobStore} has some forty methods and only listings change.
 */
final class FinishedObjectsOnly implements InvocationHandler {
    private static final Pattern IN_PROGRESS =
            Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final BlobStore store;

    private FinishedObjectsOnly(BlobStore store) {
        this.store = store;
    }

    /** {@code store}, with objects still being written left out of its listings. */
    static BlobStore of(BlobStore store) {
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
                new FinishedObjectsOnly(store));
    }

    /** Whether {@code key} is the name S3Proxy's file store writes an object under before it is complete. */
    static boolean inProgress(String key) {
        return IN_PROGRESS.matcher(key).matches();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object result;
        try {
            result = method.invoke(store, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result instanceof ListObjectsV2Response listing && listing.contents().stream()
                .anyMatch(object -> inProgress(object.key()))) {
            List<S3Object> finished = finished(listing.contents());
            Integer keys = listing.keyCount() == null ? null
                    : listing.keyCount() - (listing.contents().size() - finished.size());
            return listing.toBuilder().contents(finished).keyCount(keys).build();
        }
        if (result instanceof ListObjectsResponse listing && listing.contents().stream()
                .anyMatch(object -> inProgress(object.key()))) {
            return listing.toBuilder().contents(finished(listing.contents())).build();
        }
        return result;
    }

    private static List<S3Object> finished(List<S3Object> objects) {
        return objects.stream().filter(object -> !inProgress(object.key())).toList();
    }
}
