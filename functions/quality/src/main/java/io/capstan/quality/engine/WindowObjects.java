package io.capstan.quality.engine;

import io.capstan.monitoring.PredictionKeys;
import io.capstan.quality.storage.QualityStorage;
import io.capstan.quality.storage.StoredObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects a join window reads: the {@code dt=} partitions of the UTC days it spans
 * ({@link PredictionKeys}), prediction records from the look-back to the window's end, feedback up to now.
 */
public final class WindowObjects {
    private WindowObjects() {
    }

    /** The prediction record objects of the days from the window's look-back to its end. */
    public static List<StoredObject> predictions(QualityStorage storage, JoinWindow window) {
        return days(storage, PredictionKeys.predictionsOf(window.model()), window.lookback(), window.to());
    }

    /** The feedback objects of the days from the window's look-back to now. */
    public static List<StoredObject> feedback(QualityStorage storage, JoinWindow window) {
        return days(storage, PredictionKeys.feedbackOf(window.model()), window.lookback(), window.now());
    }

    /** The first and last UTC day a window's records span, as {@code dt=} values ({@code yyyy-MM-dd}). */
    static String day(Instant time) {
        return LocalDate.ofInstant(time, ZoneOffset.UTC).toString();
    }

    private static List<StoredObject> days(QualityStorage storage, String folder, Instant from, Instant to) {
        List<StoredObject> objects = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            storage.objects(folder + "dt=" + day + "/").stream()
                    .filter(object -> object.key().endsWith(PredictionKeys.SUFFIX)).forEach(objects::add);
        }
        return objects;
    }

    /** The objects' total size in bytes. */
    public static long bytes(List<StoredObject> objects) {
        return objects.stream().mapToLong(StoredObject::size).sum();
    }
}
