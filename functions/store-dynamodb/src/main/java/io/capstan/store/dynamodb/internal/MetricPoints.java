package io.capstan.store.dynamodb.internal;

import io.capstan.tracking.Metric;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;

/**
 * Packs metric points of one key into a binary attribute: 24 bytes a point (value as IEEE-754 bits, so NaN and
 * the infinities survive, then timestamp and step). A 1000-point batch costs one 24 KB item, not 1000 items.
 */
public final class MetricPoints {
    public static final int BYTES_PER_POINT = 24;

    private MetricPoints() {
    }

    public static SdkBytes pack(List<Metric> points) {
        ByteBuffer buffer = ByteBuffer.allocate(points.size() * BYTES_PER_POINT);
        for (Metric m : points) {
            buffer.putLong(Double.doubleToRawLongBits(m.value())).putLong(m.timestamp()).putLong(m.step());
        }
        return SdkBytes.fromByteArrayUnsafe(buffer.array());
    }

    public static SdkBytes pack(Metric point) {
        return pack(List.of(point));
    }

    public static List<Metric> unpack(String key, SdkBytes packed) {
        ByteBuffer buffer = packed.asByteBuffer();
        List<Metric> points = new ArrayList<>(buffer.remaining() / BYTES_PER_POINT);
        while (buffer.remaining() >= BYTES_PER_POINT) {
            double value = Double.longBitsToDouble(buffer.getLong());
            long timestamp = buffer.getLong();
            long step = buffer.getLong();
            points.add(new Metric(key, value, timestamp, step));
        }
        return points;
    }

    public static Metric unpackOne(String key, SdkBytes packed) {
        return unpack(key, packed).get(0);
    }
}
