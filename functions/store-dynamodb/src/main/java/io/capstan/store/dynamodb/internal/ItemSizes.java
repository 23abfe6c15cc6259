package io.capstan.store.dynamodb.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item sizes as DynamoDB counts them for capacity: the UTF-8 length of each attribute name plus its value's size
 * (strings in UTF-8 bytes, binaries in bytes, a number about one byte per two significant digits plus one, a boolean
 * or null one byte, a list or map 3 bytes plus one per element plus the elements).
 */
public final class ItemSizes {
    private static final long READ_UNIT_BYTES = 4096;

    private ItemSizes() {
    }

    /** The size of {@code item}, in bytes. */
    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + of(attribute.getValue());
        }
        return size;
    }

    /** Strongly consistent read units for reading {@code bytes} in one go: 4 KB units, at least one. */
    public static double readUnits(long bytes) {
        return Math.max(1, (bytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
    }

    private static long of(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return number(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArray().length;
        }
        if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
            return 1;
        }
        if (value.hasM()) {
            return 3 + value.m().size() + of(value.m());
        }
        if (value.hasL()) {
            return 3 + value.l().size() + value.l().stream().mapToLong(ItemSizes::of).sum();
        }
        if (value.hasSs()) {
            return sum(value.ss().stream().map(ItemSizes::utf8).toList());
        }
        if (value.hasNs()) {
            return sum(value.ns().stream().map(ItemSizes::number).toList());
        }
        if (value.hasBs()) {
            return sum(value.bs().stream().map(b -> (long) b.asByteArray().length).toList());
        }
        return 0;
    }

    private static long sum(Collection<Long> sizes) {
        return sizes.stream().mapToLong(Long::longValue).sum();
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long number(String text) {
        int digits = new BigDecimal(text).stripTrailingZeros().unscaledValue().abs().toString().length();
        return (digits + 1) / 2 + 1;
    }
}
