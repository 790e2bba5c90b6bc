package org.mlpservice.dataset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.web.LimitsProperties;
import org.springframework.stereotype.Service;

/** Makes datasets: from an uploaded CSV or from a generator, and hands them to the catalog. */
@Service
class DatasetIntake {

    private final DatasetCatalog catalog;
    private final LimitsProperties limits;

    DatasetIntake(DatasetCatalog catalog, LimitsProperties limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    /**
     * Reads a CSV in one streaming pass and stores it; every problem of the file at once as a 400,
     * a 413 as soon as the upload passes {@code mlp.limits.upload-size} or its values
     * {@code mlp.limits.dataset-bytes}.
     */
    DatasetDescription upload(InputStream csv, Charset charset, UploadRequest request) {
        return catalog.add(parse(csv, charset, request, limits));
    }

    /**
     * The dataset a CSV upload makes, not yet stored; a 400 listing every problem, or a 413 when the
     * upload passes {@code mlp.limits.upload-size} or its values {@code mlp.limits.dataset-bytes}.
     */
    static NewDataset parse(InputStream csv, Charset charset, UploadRequest request, LimitsProperties limits) {
        Problems problems = new Problems();
        CsvTableReader.Limits readLimits = new CsvTableReader.Limits(limits.uploadSize().toBytes(), limits.rows(),
                limits.columns(), limits.levels(), limits.datasetBytes().toBytes(),
                request.highCardinality() == UploadRequest.HighCardinality.HASH ? limits.levels() : 0);
        CsvTable table = CsvTableReader.read(csv, charset, readLimits,
                new CsvTableReader.Columns(request.targets(), request.ignored(), request.missing()), problems);
        NewDataset dataset = table == null || problems.full() ? null
                : DatasetEncoder.encode(table, request, limits, problems);
        problems.throwIfAny();
        return dataset;
    }

    /** Generates and stores a synthetic dataset: features x1, x2 and the target label ("0"/"1") or y (plane). */
    DatasetDescription generate(GenerateRequest.Resolved r) {
        return catalog.add(generated(r));
    }

    /** {@link #generate(GenerateRequest.Resolved)} under the given id. */
    DatasetDescription generate(GenerateRequest.Resolved r, String id) {
        return catalog.add(id, generated(r));
    }

    private static NewDataset generated(GenerateRequest.Resolved r) {
        SyntheticData data = Generators.generate(r.kind(), r.samples(), r.noise(), r.factor(), r.seed());
        List<FeatureColumn> features = List.of(new FeatureColumn("x1", ColumnType.NUMERIC, List.of()),
                new FeatureColumn("x2", ColumnType.NUMERIC, List.of()));
        String target = data.classification() ? "label" : "y";
        DatasetSchema schema = data.classification()
                ? new DatasetSchema(features, List.of(target), Task.CLASSIFICATION, List.of("0", "1"))
                : new DatasetSchema(features, List.of(target), Task.REGRESSION, List.of());
        // Binary classes are one 0/1 output, exactly the generator's class index; regression is the value.
        float[] y = data.target().clone();
        String sha256 = canonicalCsvSha256(data, target);
        return new NewDataset(r.name(), "generated:" + r.kind(), schema, data.rows(), data.x(), y, sha256,
                List.of("x1", "x2", target));
    }

    /** SHA-256 of the CSV that holds the generated rows (x1,x2,label with Java's shortest float text). */
    private static String canonicalCsvSha256(SyntheticData data, String target) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (Writer out = new BufferedWriter(new OutputStreamWriter(
                    new DigestOutputStream(OutputStream.nullOutputStream(), digest), StandardCharsets.UTF_8))) {
                out.write("x1,x2," + target + "\n");
                for (int r = 0; r < data.rows(); r++) {
                    float t = data.target()[r];
                    out.write(data.x()[2 * r] + "," + data.x()[2 * r + 1] + ","
                            + (data.classification() ? Integer.toString((int) t) : Float.toString(t)) + "\n");
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
