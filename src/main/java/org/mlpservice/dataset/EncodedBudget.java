package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.List;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.web.ApiError;

/**
 * The memory an upload takes once encoded, rows × (inputs + outputs + kept ignored columns) × 4 bytes, checked against
 * {@code mlp.limits.dataset-bytes} from the schema alone, before a single encoded array exists.
 * One-hot encoding is what multiplies the size of a file (a column of 1,000 levels becomes 1,000
 * inputs), so a refusal names each column that expands and its width.
 */
final class EncodedBudget {

    private EncodedBudget() {
    }

    /** Bytes of the encoded x and y of {@code rows} rows of {@code schema}. */
    static long bytes(int rows, DatasetSchema schema) {
        return (long) rows * ((long) schema.inputWidth() + schema.outputWidth()) * Float.BYTES;
    }

    /** Bytes of the encoded x and y of {@code rows} rows of {@code schema} and of {@code kept} ignored columns kept beside them. */
    static long bytes(int rows, DatasetSchema schema, int kept) {
        return bytes(rows, schema) + (long) rows * kept * Float.BYTES;
    }

    /**
     * @param kept the ignored columns kept apart from the features, one float each per row
     * @throws DatasetTooLargeException when the encoded table would take more than {@code limitBytes}
     */
    static void check(CsvTable table, DatasetSchema schema, List<String> kept, long limitBytes) {
        long bytes = bytes(table.rows(), schema, kept.size());
        if (bytes <= limitBytes) {
            return;
        }
        int rows = table.rows();
        List<ApiError> errors = new ArrayList<>();
        errors.add(new ApiError("file", rows + " rows × " + (schema.inputWidth() + schema.outputWidth() + kept.size())
                + " encoded values (" + schema.inputWidth() + " inputs, " + schema.outputWidth() + " outputs"
                + (kept.isEmpty() ? "" : ", " + kept.size() + " kept ignored column(s) " + kept) + ") × 4 bytes = "
                + bytes + " bytes; the limit is " + limitBytes + " bytes (mlp.limits.dataset-bytes)"));
        int expanding = 0;
        for (FeatureColumn f : schema.features()) {
            if (f.type() == ColumnType.CATEGORICAL) {
                errors.add(new ApiError(f.name(), "is categorical with " + f.width() + " levels: one-hot encoded to "
                        + f.width() + " inputs, " + columnBytes(rows, f.width()) + " bytes"));
                expanding++;
            } else if (f.type() == ColumnType.HASHED) {
                errors.add(new ApiError(f.name(), "is hashed into " + f.width() + " buckets: one-hot encoded to "
                        + f.width() + " inputs, " + columnBytes(rows, f.width()) + " bytes"));
                expanding++;
            }
        }
        if (schema.task() == Task.CLASSIFICATION && schema.outputWidth() > 1) {
            errors.add(new ApiError(schema.targets().get(0), "has " + schema.classes().size() + " classes: one-hot encoded to "
                    + schema.outputWidth() + " outputs, " + columnBytes(rows, schema.outputWidth()) + " bytes"));
            expanding++;
        }
        throw new DatasetTooLargeException("The encoded dataset would take " + bytes + " bytes, more than the limit of "
                + limitBytes + " bytes (mlp.limits.dataset-bytes)"
                + (expanding > 0 ? "; one-hot encoding expands " + expanding + " column(s)" : "")
                + ": upload fewer rows, drop or merge categories, or raise the limit", errors);
    }

    private static long columnBytes(int rows, int width) {
        return (long) rows * width * Float.BYTES;
    }
}
