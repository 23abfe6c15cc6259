package io.capstan.local.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, so two platforms never open the same DynamoDB Local database and
 * S3Proxy folder (in two processes, or twice in one JVM).
 */
public final class DataDirectoryLock implements AutoCloseable {

    private static final String LOCK_FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws IllegalStateException when another platform holds the directory
     * @throws UncheckedIOException  when the directory cannot be created or written
     */
    public static DataDirectoryLock acquire(Path dataDir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir);
            }
            return new DataDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException heldInThisJvm) {
            closeQuietly(channel);
            throw inUse(dataDir);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot use data directory " + dataDir.toAbsolutePath()
                    + ": " + e.getMessage() + "; check that it is a writable directory", e);
        } catch (IllegalStateException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        closeQuietly(channel);
    }

    private static IllegalStateException inUse(Path dataDir) {
        return new IllegalStateException("Data directory " + dataDir.toAbsolutePath()
                + " is in use by another running Capstan; stop that one or pass another --data-dir");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
