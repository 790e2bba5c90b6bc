package org.mlpservice.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store of cluster mode: the PostgreSQL database of {@code spring.datasource.*} (schema
 * {@code db/migration/V2__store.sql}), shared by every replica. The features keep their tables
 * there, and their files too: {@link #writeFile} takes the same content a {@link DataDirectory}
 * file would get and stores it in chunks of at most {@value #CHUNK_BYTES} bytes, so a 100 MB
 * dataset passes through memory one chunk at a time, and {@link #openFile} reads it back as a stream.
 * <p>
 * Everything goes through Spring's {@link JdbcTemplate} and {@link TransactionTemplate} (propagation
 * REQUIRED): inside a transaction someone else opened on this DataSource (the training job's
 * publication, which checks its fence first) the statements join it, commit with it and roll back
 * with it. A database that cannot be reached, or refuses, is a {@link StorageUnavailableException}
 * (503), never a 500; constraint violations ({@link DataIntegrityViolationException}) are left to
 * the caller, who knows what they mean (a name taken, say).
 */
@Component
@ConditionalOnProperty(name = "mlp.cluster.enabled", havingValue = "true")
public class Database {

    /** The largest chunk of a file: what one row holds, and the most of a file in memory at once. */
    public static final int CHUNK_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** How long the health probe waits for its answer: a database that hangs is as down as one that refuses. */
    static final int PROBE_TIMEOUT_SECONDS = 5;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate probe;
    private final TransactionTemplate transactions;

    public Database(DataSource dataSource, PlatformTransactionManager transactionManager) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.probe = new JdbcTemplate(dataSource);
        probe.setQueryTimeout(PROBE_TIMEOUT_SECONDS);
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The template every statement of the store goes through (joins an open transaction). */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /**
     * {@code work} in a transaction: the one already open on this thread, or a new one committed
     * when {@code work} returns. A fault of the database is a 503; nothing was changed.
     */
    public <T> T inTransaction(Supplier<T> work) {
        return translated(() -> transactions.execute(status -> work.get()));
    }

    /** {@code work} (reads, or a single statement), with the database's faults as 503s. */
    public <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (DataIntegrityViolationException e) {
            throw e;
        } catch (DataAccessException | TransactionException e) {
            throw unavailable(e);
        }
    }

    /**
     * Writes (or replaces) the file at {@code path}, chunk by chunk, in the current transaction (a
     * new one when none is open): the old content stays visible until it commits.
     */
    public void writeFile(String path, DataDirectory.Content content) {
        inTransaction(() -> {
            // The upsert locks the file's row: two replicas writing one path take turns, the later one wins whole.
            jdbc.update("INSERT INTO store_file (path, bytes, chunks) VALUES (?, 0, 0)"
                    + " ON CONFLICT (path) DO UPDATE SET bytes = 0, chunks = 0", path);
            jdbc.update("DELETE FROM store_chunk WHERE path = ?", path);
            try (ChunkWriter out = new ChunkWriter(path)) {
                content.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /** The file at {@code path} as a stream that fetches one chunk at a time; null when there is none. */
    public InputStream openFile(String path) {
        List<Integer> chunks = translated(() -> jdbc.queryForList("SELECT chunks FROM store_file WHERE path = ?",
                Integer.class, path));
        return chunks.isEmpty() ? null : new ChunkReader(path, chunks.get(0));
    }

    /** Deletes the file at {@code path} and every file under {@code path + "/"}, in the current transaction. */
    public void deleteFiles(String path) {
        translated(() -> jdbc.update("DELETE FROM store_file WHERE path = ? OR starts_with(path, ?)", path, path + "/"));
    }

    /** One round trip to the database; a 503 saying why when it does not answer. */
    public void check() {
        translated(() -> probe.queryForObject("SELECT 1", Integer.class));
    }

    private static StorageUnavailableException unavailable(NestedRuntimeException e) {
        // The innermost cause that says something: the driver's words, not Spring's wrapping.
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage().lines().findFirst().orElse(null);
            }
        }
        reason = reason == null ? "no answer" : reason;
        log.warn("The database refused or did not answer: {}", reason);
        log.debug("Database fault", e);
        return new StorageUnavailableException("The database is unavailable (" + reason + "); nothing was changed. "
                + "Try again once it answers.");
    }

    /** Buffers one chunk and inserts it when full; the file row gets the totals at close. */
    private final class ChunkWriter extends OutputStream {
        private final String path;
        private final byte[] buffer = new byte[CHUNK_BYTES];
        private int filled;
        private int seq;
        private long bytes;

        ChunkWriter(String path) {
            this.path = path;
        }

        @Override
        public void write(int b) {
            if (filled == buffer.length) {
                flushChunk();
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (filled == buffer.length) {
                    flushChunk();
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void flushChunk() {
            byte[] chunk = filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
            jdbc.update("INSERT INTO store_chunk (path, seq, data) VALUES (?, ?, ?)", path, seq++, chunk);
            bytes += filled;
            filled = 0;
        }

        @Override
        public void close() {
            if (filled > 0) {
                flushChunk();
            }
            jdbc.update("UPDATE store_file SET bytes = ?, chunks = ?, written_at = now() WHERE path = ?", bytes, seq, path);
        }
    }

    /** Fetches chunk after chunk as it is read; a chunk that is gone (the file deleted meanwhile) is an IOException. */
    private final class ChunkReader extends InputStream {
        private final String path;
        private final int chunks;
        private int next;
        private byte[] chunk = new byte[0];
        private int pos;

        ChunkReader(String path, int chunks) {
            this.path = path;
            this.chunks = chunks;
        }

        private boolean fill() throws IOException {
            while (pos == chunk.length) {
                if (next == chunks) {
                    return false;
                }
                List<byte[]> found;
                try {
                    found = translated(() -> jdbc.query("SELECT data FROM store_chunk WHERE path = ? AND seq = ?",
                            (rs, i) -> rs.getBytes(1), path, next));
                } catch (StorageUnavailableException e) {
                    throw new IOException(e.getMessage(), e);
                }
                if (found.isEmpty()) {
                    throw new IOException(path + " changed or was deleted while it was read");
                }
                chunk = found.get(0);
                pos = 0;
                next++;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
