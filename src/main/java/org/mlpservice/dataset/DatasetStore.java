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
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.mlpservice.storage.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;

/**
 * Datasets on disk, two files each in {@code <data dir>/datasets}:
 * <ul>
 *   <li>{@code <id>.bin}: the arrays. A 20-byte header (ASCII {@code MLPD}, then int32 format
 *       version 1, rows, input width, output width), then x (rows × input width) and y
 *       (rows × output width) as float32, row-major, everything <b>little-endian</b> (numpy:
 *       {@code np.fromfile(f, '<f4', offset=20)}).</li>
 *   <li>{@code <id>.json}: the metadata (name, schema, statistics, sha256) and the data file's
 *       length and CRC-32, checked on load.</li>
 * </ul>
 * Both are written atomically by {@link DataDirectory}, the metadata last: a dataset whose
 * metadata exists is complete, and a data file without metadata is the remains of an interrupted
 * store or delete, removed at start-up.
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
     */
    record Metadata(int format, String id, String name, Instant createdAt, String source, int rows, String sha256,
                    DatasetSchema schema, List<ColumnSummary> columns, List<ClassCount> classes, DataFile data) {
    }

    /** The binary data file as the metadata records it. */
    record DataFile(String file, String encoding, int inputWidth, int outputWidth, long bytes, long crc32) {
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

    /** Writes the data file, then the metadata (which makes the dataset exist). */
    void save(Dataset d, DatasetStats stats) {
        CRC32 crc = new CRC32();
        data.write(dir.resolve(d.id() + ".bin"), out -> writeData(d, new CheckedOutputStream(out, crc)));
        long bytes = HEADER_BYTES + 4L * (d.x().length + d.y().length);
        DataFile file = new DataFile(d.id() + ".bin", "MLPD header, float32 little-endian x then y",
                d.schema().inputWidth(), d.schema().outputWidth(), bytes, crc.getValue());
        Metadata meta = new Metadata(FORMAT, d.id(), d.name(), d.createdAt(), d.source(), d.rows(), d.sha256(),
                d.schema(), stats.columns(), stats.classes(), file);
        data.write(dir.resolve(d.id() + ".json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
    }

    /** Removes the metadata first (the dataset stops existing), then the data. */
    void delete(String id) {
        data.delete(dir.resolve(id + ".json"));
        data.delete(dir.resolve(id + ".bin"));
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
                log.warn("Skipping dataset {}: {}", file.getFileName(), e.getMessage());
                ids.add(stem(file));
            }
        }
        for (Path file : list("*.bin")) {
            if (!ids.contains(stem(file))) {
                log.info("Removing {}: data without metadata, left by an interrupted store", file.getFileName());
                data.delete(file);
            }
        }
        return loaded;
    }

    private Loaded load(Path metaFile) throws IOException {
        // Tolerant of fields it does not know, unlike request bodies: a file from a newer release still loads.
        Metadata meta = json.readerFor(Metadata.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(Files.readAllBytes(metaFile));
        if (meta.format() != FORMAT || meta.data() == null || meta.schema() == null || !stem(metaFile).equals(meta.id())) {
            throw new IOException("unknown metadata format or id");
        }
        DatasetSchema schema = meta.schema();
        int rows = meta.rows();
        float[] x = new float[Math.multiplyExact(rows, schema.inputWidth())];
        float[] y = new float[Math.multiplyExact(rows, schema.outputWidth())];
        Path binFile = dir.resolve(meta.id() + ".bin");
        if (!Files.isRegularFile(binFile) || Files.size(binFile) != meta.data().bytes()) {
            throw new IOException("data file " + meta.data().file() + " is missing or has the wrong length");
        }
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(binFile), 1 << 16), crc)) {
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[4];
            header.get(magic);
            if (!Arrays.equals(magic, MAGIC) || header.getInt() != FORMAT || header.getInt() != rows
                    || header.getInt() != schema.inputWidth() || header.getInt() != schema.outputWidth()) {
                throw new IOException("data file header does not match the metadata");
            }
            readFloats(in, x);
            readFloats(in, y);
        }
        if (crc.getValue() != meta.data().crc32()) {
            throw new IOException("data file checksum does not match");
        }
        Dataset d = new Dataset(meta.id(), meta.name(), meta.createdAt(), meta.source(), schema, rows, x, y, meta.sha256());
        return new Loaded(d, new DatasetStats(meta.columns(), meta.classes()));
    }

    private static void writeData(Dataset d, OutputStream out) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(FORMAT).putInt(d.rows()).putInt(d.schema().inputWidth()).putInt(d.schema().outputWidth());
        out.write(header.array());
        writeFloats(out, d.x());
        writeFloats(out, d.y());
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
