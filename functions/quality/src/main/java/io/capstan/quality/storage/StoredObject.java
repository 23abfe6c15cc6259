package io.capstan.quality.storage;

/** An object's key and size in bytes. */
public record StoredObject(String key, long size) {
}
