package org.mlpservice.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The data directory. Every file is written to a temporary file beside its target, forced to
 * disk and renamed over it in one atomic step, so a crash (even kill -9) leaves either the old
 * file or the new one, never half of one. Left-over temporary files are removed at start-up.
 * <p>
 * A write or delete the disk refuses throws {@link StorageUnavailableException} (503): callers
 * change memory only after the disk said yes. Files the stores could not read at start-up are
 * {@linkplain #reportUnreadable reported} here, kept on disk for recovery, and shown by the
 * {@code storage} health component.
 */
@Component
public class DataDirectory {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    private static final String TEMP_SUFFIX = ".tmp";

    /** A file that could not be read at start-up, relative to the root, and why. */
    public record Unreadable(String file, String reason) {
    }

    private final Path root;
    /** The root and every folder a store writes in: where {@link #checkWritable()} probes. */
    private final Set<Path> folders = new CopyOnWriteArraySet<>();
    private final List<Unreadable> unreadable = new CopyOnWriteArrayList<>();

    public DataDirectory(StorageProperties properties) {
        this.root = properties.dir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + root, e);
        }
        folders.add(root);
        removeLeftovers();
        log.info("Data directory: {}", root);
    }

    public Path root() {
        return root;
    }

    /** A directory under the root, created when missing; readiness probes it from now on. */
    public Path directory(String name) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir, e);
        }
        folders.add(dir);
        return dir;
    }

    /** Something that writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically: temp file, fsync, rename; a refusal of the disk is a 503. */
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
            throw refused("store", target, e);
        } catch (RuntimeException e) {
            // Jackson 3 wraps the stream's IOException in an unchecked one: still the disk speaking.
            if (e.getCause() instanceof IOException io) {
                throw refused("store", target, io);
            }
            throw e;
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

    /**
     * Deletes a file or a directory tree; missing is fine, but a folder on the way that is not a
     * folder (or a disk that refuses) is a 503, not a silent success.
     */
    public void delete(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw refused("remove", path, e);
        }
    }

    /**
     * Creates and deletes a probe file in the root and in every store folder: the same calls a
     * write makes. Throws {@link StorageUnavailableException} naming the first folder that refused.
     */
    public void checkWritable() {
        for (Path dir : folders) {
            try {
                Files.delete(Files.createTempFile(dir, ".probe", TEMP_SUFFIX));
            } catch (IOException e) {
                log.debug("Probe failed in {}", dir, e);
                throw new StorageUnavailableException("The data directory cannot write in " + relative(dir) + " ("
                        + reason(e) + ")");
            }
        }
    }

    /** Records a file a store could not read at start-up; it stays on disk for recovery. */
    public void reportUnreadable(Path file, String reason) {
        String name = relative(file);
        log.warn("Cannot read {} (kept on disk, reported in health): {}", name, reason);
        unreadable.add(new Unreadable(name, reason));
    }

    /** Records a file a store could not read, with the parser's or the disk's complaint as the reason. */
    public void reportUnreadable(Path file, Exception e) {
        String reason;
        if (e instanceof FileSystemException f) {
            reason = "cannot be opened (" + reason(f) + ")"; // its message would be the absolute path
        } else {
            // First line only: an empty JSON file says "No content to map due to end-of-input", then where.
            reason = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("unreadable");
            reason = reason.length() <= 200 ? reason : reason.substring(0, 200) + "...";
        }
        reportUnreadable(file, reason);
    }

    /** What could not be read at start-up, in the order it was found. */
    public List<Unreadable> unreadable() {
        return List.copyOf(unreadable);
    }

    /** A path as the user may see it: relative to the data directory, never the server's absolute path. */
    public String relative(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(root)) {
            return String.valueOf(p.getFileName());
        }
        String name = root.relativize(p).toString().replace('\\', '/');
        return name.isEmpty() ? "." : name;
    }

    private StorageUnavailableException refused(String action, Path path, IOException e) {
        log.warn("The data directory refused to {} {}: {}", action, path, e.toString());
        log.debug("Refused", e);
        return new StorageUnavailableException("The data directory could not " + action + " " + relative(path) + " ("
                + reason(e) + "); nothing was changed. Try again once the disk is writable.");
    }

    /** Why the disk said no, in words; IOException messages are often just the absolute path. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way of a folder";
        }
        if (e instanceof NoSuchFileException) {
            return "a folder is missing";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return "input/output error";
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable; not every platform lets a directory be opened.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    /** Removes unfinished writes; one that cannot be removed is logged, never a reason not to start. */
    private void removeLeftovers() {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> p.getFileName().toString().endsWith(TEMP_SUFFIX)).forEach(leftovers::add);
        } catch (IOException | UncheckedIOException e) {
            log.warn("Cannot look for unfinished writes in {}: {}", root, e.getMessage());
        }
        for (Path p : leftovers) {
            log.warn("Removing unfinished write {}", p);
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                log.warn("Cannot remove {}: {}", p, e.getMessage());
            }
        }
    }
}
