package org.mlpservice.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.mlpservice.storage.DataDirectory;
import org.mlpservice.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;

/**
 * Datasets on disk, two files each in {@code <data dir>/datasets}:
 * <ul>
 *   <li>{@code <id>.bin}: the arrays. A 20-byte header (ASCII {@code MLPD}, then int32 format
 *       version 1, rows, input width, output width), then x (rows × input width) and y
 *       (rows × output width) as float32, row-major, then each ignored column the upload kept
 *       (rows float32, in the order the metadata's {@code data.keptColumns} lists them), everything
 *       <b>little-endian</b> (numpy: {@code np.fromfile(f, '<f4', offset=20)}).</li>
 *   <li>{@code <id>.json}: the metadata (name, schema, statistics, sha256) and the data file's
 *       length and CRC-32, checked on load.</li>
 * </ul>
 * Missing values: a numeric feature's missing cell is a float32 NaN in x (training fills it with
 * the statistic of the schema's {@code missing} policy, {@code mean} or {@code median}, fitted on the
 * training rows); a categorical feature's is its one-hot level {@code <missing>}, so one-hot inputs
 * and y never hold NaN. The metadata's schema has {@code missing} (and the columns {@code missing}
 * counts, the file {@code droppedRows}); files written before these fields load as {@code mean},
 * with no counts and no dropped rows: they could hold no missing value. Ignored columns: the
 * metadata's {@code data.keptColumns} names the numeric ones stored after y, {@code droppedColumns}
 * the others; files written before either load with none.
 * <p>
 * Both are written atomically by {@link DataDirectory}, the metadata last: a dataset whose
 * metadata exists is complete, and a data file without metadata is the remains of an interrupted
 * store or delete, removed at start-up. A dataset that cannot be loaded at start-up (corrupt, or
 * too large for this heap) is skipped, reported to {@link DataDirectory#reportUnreadable} and
 * left on disk; the others load.
 */
final class DatasetStore {

    private static final Logger log = LoggerFactory.getLogger(DatasetStore.class);
    private static final byte[] MAGIC = {'M', 'L', 'P', 'D'};
    private static final int FORMAT = 1;
    private static final int HEADER_BYTES = 20;
    private static final int CHUNK_FLOATS = 16 * 1024;

    /**
     * The metadata file.
     *
     * @param format  metadata format version (1)
     * @param data    the data file's name, encoding, length and CRC-32
     * @param droppedRows rows the upload dropped for a missing value; absent (0) in older files
     * @param droppedColumns the non-numeric ignored columns the upload dropped; absent (none) in older files
     */
    record Metadata(int format, String id, String name, Instant createdAt, String source, int rows, String sha256,
                    DatasetSchema schema, List<ColumnSummary> columns, List<ClassCount> classes, DataFile data,
                    Integer droppedRows, List<String> droppedColumns) {
    }

    /**
     * The binary data file as the metadata records it.
     *
     * @param keptColumns the ignored columns stored after y, in order; absent (none) in older files
     */
    record DataFile(String file, String encoding, int inputWidth, int outputWidth, long bytes, long crc32,
                    List<String> keptColumns) {
    }

    /** A dataset read back, with its statistics. */
    record Loaded(Dataset dataset, DatasetStats stats) {
    }

    private final DataDirectory data;
    private final Path dir;
    private final ObjectMapper json;

    DatasetStore(DataDirectory data, ObjectMapper json) {
        this.data = data;
        this.dir = data.directory("datasets");
        this.json = json;
    }

    Path directory() {
        return dir;
    }

    /**
     * Writes the data file, then the metadata (which makes the dataset exist). A refusal of the disk
     * throws {@link StorageUnavailableException}; a data file already written is then removed again
     * (or, if the disk refuses that too, at the next start).
     */
    void save(Dataset d, DatasetStats stats) {
        CRC32 crc = new CRC32();
        data.write(dir.resolve(d.id() + ".bin"), out -> writeData(d, new CheckedOutputStream(out, crc)));
        try {
            data.write(dir.resolve(d.id() + ".json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    metadata(d, stats, crc.getValue())));
        } catch (StorageUnavailableException e) {
            removeData(d.id());
            throw e;
        }
    }

    /** The metadata of a dataset whose data file (written by {@link #writeData}) has the given CRC-32. */
    static Metadata metadata(Dataset d, DatasetStats stats, long crc32) {
        long bytes = HEADER_BYTES + 4L * (d.x().length + d.y().length + d.ignored().floats(d.rows()));
        DataFile file = new DataFile(d.id() + ".bin", "MLPD header, float32 little-endian x then y, then each kept column",
                d.schema().inputWidth(), d.schema().outputWidth(), bytes, crc32, d.ignored().keptNames());
        return new Metadata(FORMAT, d.id(), d.name(), d.createdAt(), d.source(), d.rows(), d.sha256(),
                d.schema(), stats.columns(), stats.classes(), file, stats.droppedRows(), d.ignored().dropped());
    }

    /**
     * Removes the metadata first: that alone makes the dataset stop existing, and when the disk
     * refuses it (503) nothing has changed. The data file follows; if it stays, start-up removes it.
     */
    void delete(String id) {
        data.delete(dir.resolve(id + ".json"));
        removeData(id);
    }

    private void removeData(String id) {
        try {
            data.delete(dir.resolve(id + ".bin"));
        } catch (StorageUnavailableException e) {
            log.warn("Dataset {}: its data file stays until the next start: {}", id, e.getMessage());
        }
    }

    /** Every complete dataset; a broken one is logged and skipped, a data file without metadata removed. */
    List<Loaded> loadAll() {
        List<Loaded> loaded = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Path file : list("*.json")) {
            try {
                Loaded l = load(file);
                loaded.add(l);
                ids.add(l.dataset().id());
            } catch (IOException | RuntimeException e) {
                data.reportUnreadable(file, e);
                ids.add(stem(file));
            } catch (OutOfMemoryError e) {
                // Only this dataset's arrays were being filled; they are garbage now, so the heap is back.
                data.reportUnreadable(file, "it does not fit in this server's memory (" + rowsAndWidth(file) + ")");
                ids.add(stem(file));
            }
        }
        for (Path file : list("*.bin")) {
            if (!ids.contains(stem(file))) {
                log.info("Removing {}: data without metadata, left by an interrupted store", file.getFileName());
                removeData(stem(file)); // a refusal is logged: tidying is no reason not to start
            }
        }
        return loaded;
    }

    private Loaded load(Path metaFile) throws IOException {
        Metadata meta = readMetadata(json, Files.readAllBytes(metaFile));
        if (!stem(metaFile).equals(meta.id())) {
            throw new IOException("unknown metadata format or id");
        }
        Path binFile = dir.resolve(meta.id() + ".bin");
        // Checked before the arrays are allocated: a truncated file must not cost a big allocation first.
        if (!Files.isRegularFile(binFile) || Files.size(binFile) != meta.data().bytes()) {
            throw new IOException("data file " + meta.id() + ".bin is missing or has the wrong length");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(binFile), 1 << 16)) {
            return readData(meta, in);
        }
    }

    /** The metadata file's content, checked for its format. */
    static Metadata readMetadata(ObjectMapper json, byte[] content) throws IOException {
        // Tolerant of fields it does not know, unlike request bodies: a file from a newer release still loads.
        Metadata meta = json.readerFor(Metadata.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(content);
        if (meta.format() != FORMAT || meta.data() == null || meta.schema() == null || meta.id() == null) {
            throw new IOException("unknown metadata format or id");
        }
        return meta;
    }

    /** The dataset whose data file {@code in} reads (its length already checked against {@code meta}), CRC checked. */
    static Loaded readData(Metadata meta, InputStream data) throws IOException {
        DatasetSchema schema = meta.schema();
        int rows = meta.rows();
        List<String> keptNames = meta.data().keptColumns() == null ? List.of() : meta.data().keptColumns();
        Map<String, float[]> kept = new LinkedHashMap<>();
        float[] x = new float[Math.multiplyExact(rows, schema.inputWidth())];
        float[] y = new float[Math.multiplyExact(rows, schema.outputWidth())];
        CRC32 crc = new CRC32();
        InputStream in = new CheckedInputStream(data, crc);
        ByteBuffer header = ByteBuffer.wrap(in.readNBytes(HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        if (header.remaining() < HEADER_BYTES) {
            throw new IOException("data file is truncated");
        }
        header.get(magic);
        if (!Arrays.equals(magic, MAGIC) || header.getInt() != FORMAT || header.getInt() != rows
                || header.getInt() != schema.inputWidth() || header.getInt() != schema.outputWidth()) {
            throw new IOException("data file header does not match the metadata");
        }
        readFloats(in, x);
        readFloats(in, y);
        for (String name : keptNames) {
            float[] values = new float[rows];
            readFloats(in, values);
            kept.put(name, values);
        }
        if (crc.getValue() != meta.data().crc32()) {
            throw new IOException("data file checksum does not match");
        }
        IgnoredColumns ignored = new IgnoredColumns(kept, meta.droppedColumns() == null ? List.of() : meta.droppedColumns());
        Dataset d = new Dataset(meta.id(), meta.name(), meta.createdAt(), meta.source(), schema, rows, x, y, meta.sha256(),
                ignored);
        return new Loaded(d, new DatasetStats(meta.columns(), meta.classes(),
                meta.droppedRows() == null ? 0 : meta.droppedRows()));
    }

    static void writeData(Dataset d, OutputStream out) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(FORMAT).putInt(d.rows()).putInt(d.schema().inputWidth()).putInt(d.schema().outputWidth());
        out.write(header.array());
        writeFloats(out, d.x());
        writeFloats(out, d.y());
        for (float[] values : d.ignored().kept().values()) {
            writeFloats(out, values);
        }
        out.flush();
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(values, from, n);
            out.write(chunk.array(), 0, n * 4);
        }
    }

    private static void readFloats(InputStream in, float[] values) throws IOException {
        byte[] bytes = new byte[CHUNK_FLOATS * 4];
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - from);
            if (in.readNBytes(bytes, 0, n * 4) != n * 4) {
                throw new IOException("data file is truncated");
            }
            ByteBuffer.wrap(bytes, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, from, n);
        }
    }


    /** The size the metadata claims, for the report of a dataset too large to load. */
    private String rowsAndWidth(Path metaFile) {
        try {
            Metadata meta = json.readerFor(Metadata.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(Files.readAllBytes(metaFile));
            return meta.rows() + " rows of " + meta.schema().inputWidth() + " + " + meta.schema().outputWidth() + " floats";
        } catch (IOException | RuntimeException e) {
            return "size unknown";
        }
    }

    private List<Path> list(String glob) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            log.warn("Cannot list {}: {}", dir, e.getMessage());
        }
        files.sort(null);
        return files;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
