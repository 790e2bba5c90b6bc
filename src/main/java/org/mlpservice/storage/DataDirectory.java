package org.mlpservice.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The data directory. Every file is written to a temporary file beside its target, forced to
 * disk and renamed over it in one atomic step, so a crash (even kill -9) leaves either the old
 * file or the new one, never half of one. Left-over temporary files are removed at start-up.
 */
@Component
public class DataDirectory {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path root;

    public DataDirectory(StorageProperties properties) {
        this.root = properties.dir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            removeLeftovers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + root, e);
        }
        log.info("Data directory: {}", root);
    }

    public Path root() {
        return root;
    }

    /** A directory under the root, created when missing. */
    public Path directory(String name) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Something that writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically: temp file, fsync, rename. */
    public void write(Path target, Content content) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the start-up sweep removes it
                }
            }
        }
    }

    /** Writes bytes atomically. */
    public void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Deletes a file or a directory tree; missing is fine. */
    public void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable; not every platform lets a directory be opened.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    private void removeLeftovers() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> p.getFileName().toString().endsWith(TEMP_SUFFIX)).toList()) {
                log.warn("Removing unfinished write {}", p);
                Files.deleteIfExists(p);
            }
        }
    }
}
