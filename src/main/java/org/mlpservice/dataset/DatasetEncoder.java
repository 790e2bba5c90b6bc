package org.mlpservice.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mlpservice.dataset.DatasetSchema.FeatureColumn;
import org.mlpservice.web.LimitsProperties;

/**
 * Turns a read CSV table into network inputs and outputs, deciding what each column is.
 *
 * <ul>
 *   <li>A column is <b>numeric</b> when every non-empty cell is a decimal number, else
 *       <b>categorical</b>. Exception: when at least {@value #TYPO_SHARE_PERCENT}% of its cells are
 *       numbers, the others are almost surely typos, and each is reported with its line.</li>
 *   <li>The <b>task</b> is the one forced; else regression for several targets; else
 *       classification for a categorical target or one of at most {@value #MAX_INTEGER_CLASSES}
 *       distinct whole numbers (digits 0..9, ratings 1..5); else regression.</li>
 *   <li>Class labels keep their text and are ordered by {@link LabelEncoder} (numeric order for
 *       numbers): 2 classes give one 0/1 output, k &gt; 2 give k one-hot outputs.</li>
 *   <li>Categorical features are one-hot encoded over their levels sorted by text. One with more
 *       levels than {@code mlp.limits.levels} is refused, or, when the upload asks
 *       {@code highCardinality=hash}, hashed into that many one-hot buckets ({@link FeatureHashing}).</li>
 *   <li>Missing cells ({@link MissingValues}): a numeric feature keeps NaN (training fills it by the
 *       policy's statistic), a categorical one the last level {@value MissingValues#LEVEL}.
 *       Ignored columns are neither features nor targets; a numeric one (every present cell a
 *       number) is kept apart, NaN for a missing cell ({@link IgnoredColumns}), the others dropped.</li>
 *   <li>The encoded arrays, rows × (inputs + outputs + kept columns) floats, must fit in
 *       {@code mlp.limits.dataset-bytes}; that is checked before they are allocated.</li>
 * </ul>
 */
final class DatasetEncoder {

    /** Most distinct whole numbers a target may have to be taken as class labels. */
    static final int MAX_INTEGER_CLASSES = 20;
    static final int TYPO_SHARE_PERCENT = 90;

    private DatasetEncoder() {
    }

    /**
     * Encodes the table; returns null when there are problems (added to {@code problems}), including
     * those the reader found before.
     *
     * @param limits {@code columns} bounds the network inputs after one-hot encoding, {@code levels}
     *               the levels of a column, {@code datasetBytes} the encoded arrays
     * @throws DatasetTooLargeException when the encoded arrays would not fit in {@code limits.datasetBytes()}
     */
    static NewDataset encode(CsvTable table, UploadRequest request, LimitsProperties limits, Problems problems) {
        int maxInputs = limits.columns();
        List<String> targets = request.targets();
        if (targets.size() == table.header().size()) {
            problems.add("target", "every column is a target; at least one feature column is needed");
            return null;
        }
        if (targets.size() + request.ignored().size() >= table.header().size()) {
            problems.add("ignore", "leaves no feature column: every column is a target or ignored");
            return null;
        }
        List<FeatureColumn> features = new ArrayList<>();
        for (String name : table.header()) {
            if (!targets.contains(name) && !request.ignored().contains(name)) {
                ColumnType type = inferType(table, table.column(name), true, limits.levels(), problems);
                features.add(switch (type == null ? ColumnType.NUMERIC : type) {
                    case CATEGORICAL -> new FeatureColumn(name, type, sortedLevels(table.column(name)));
                    case HASHED -> FeatureColumn.hashed(name, limits.levels());
                    case NUMERIC -> new FeatureColumn(name, ColumnType.NUMERIC, List.of());
                });
            }
        }
        Task task = request.task();
        if (task == null && targets.size() > 1) {
            task = Task.REGRESSION;
        } else if (task == null) {
            CsvColumn target = table.column(targets.get(0));
            ColumnType type = inferType(table, target, false, limits.levels(), problems);
            if (type == null) {
                return null;
            }
            task = type == ColumnType.CATEGORICAL || fewIntegers(target) ? Task.CLASSIFICATION : Task.REGRESSION;
        }
        List<String> classes = task == Task.CLASSIFICATION
                ? classes(table.column(targets.get(0)), limits.levels(), problems)
                : requireNumbers(table, targets, request.task() == null, problems);
        if (problems.any()) {
            return null;
        }
        DatasetSchema schema = new DatasetSchema(features, targets, task, classes).withMissing(request.missing());
        if (schema.inputWidth() > maxInputs) {
            problems.add("file", "encodes to " + schema.inputWidth() + " network inputs after one-hot encoding; "
                    + "the limit is " + maxInputs + " (mlp.limits.columns)");
            return null;
        }
        List<String> kept = request.ignored().stream().filter(c -> table.column(c).nonNumericCount() == 0).toList();
        EncodedBudget.check(table, schema, kept, limits.datasetBytes().toBytes());
        if ((long) table.rows() * Math.max(schema.inputWidth(), schema.outputWidth()) > Integer.MAX_VALUE - 8) {
            problems.add("file", "has too many values for one dataset: " + table.rows() + " rows x "
                    + schema.inputWidth() + " inputs");
            return null;
        }
        List<String> columns = table.header().stream().filter(c -> !request.ignored().contains(c) || kept.contains(c)).toList();
        return new NewDataset(request.name(), "upload", schema, table.rows(), inputs(table, schema),
                outputs(table, schema), table.sha256(), columns, table.droppedRows(), ignored(table, request.ignored(), kept));
    }

    /** The ignored columns in file order: the numeric ones' values (NaN where missing), the others' names. */
    private static IgnoredColumns ignored(CsvTable table, List<String> ignored, List<String> kept) {
        Map<String, float[]> values = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        for (String name : table.header()) {
            if (kept.contains(name)) {
                CsvColumn column = table.column(name);
                float[] v = new float[table.rows()];
                for (int r = 0; r < v.length; r++) {
                    v[r] = column.number(r); // a missing cell ("") parses to NaN
                }
                values.put(name, v);
            } else if (ignored.contains(name)) {
                dropped.add(name);
            }
        }
        return new IgnoredColumns(values, dropped);
    }

    /**
     * Numeric, categorical, or hashed (a feature past {@code maxLevels} whose buckets were kept); null,
     * with the problem reported, for a numeric column with a few non-numbers or one with too many levels.
     */
    private static ColumnType inferType(CsvTable table, CsvColumn column, boolean feature, int maxLevels,
                                        Problems problems) {
        long nonNumeric = column.nonNumericCount();
        if (nonNumeric == 0) {
            return ColumnType.NUMERIC;
        }
        long numeric = column.numericCount();
        if (numeric * 100 >= TYPO_SHARE_PERCENT * (numeric + nonNumeric)) {
            String share = String.format(Locale.ROOT, "%.0f%%", 100.0 * numeric / (numeric + nonNumeric));
            for (CsvColumn.Cell cell : column.nonNumericCells(Problems.MAX)) {
                problems.add(table.line(cell.row()), "'" + cell.text() + "' " + notANumber(cell.text())
                        + " in numeric column " + column.name() + " (" + share + " of its values are numbers)");
            }
            return null;
        }
        if (column.hasBuckets()) {
            return ColumnType.HASHED;
        }
        if (!column.hasLevels()) {
            CsvColumn.Cell first = column.nonNumericCells(1).get(0);
            problems.add(column.name(), "is not numeric ('" + first.text() + "' on " + table.line(first.row())
                    + ") and has more than " + maxLevels + " levels, the limit (mlp.limits.levels)"
                    + (feature ? "; upload with highCardinality=hash to hash it into " + maxLevels + " buckets, or drop the column"
                    : ", too many categories"));
            return null;
        }
        return ColumnType.CATEGORICAL;
    }

    private static boolean fewIntegers(CsvColumn column) {
        return column.hasLevels() && column.numbersAreIntegers() && column.distinctValues() <= MAX_INTEGER_CLASSES;
    }

    private static List<String> classes(CsvColumn target, int maxLevels, Problems problems) {
        if (!target.hasLevels()) {
            problems.add(target.name(), "has more than " + maxLevels + " distinct values (mlp.limits.levels), "
                    + "too many classes; for a numeric target use task=regression");
            return List.of();
        }
        String[] labels = target.levels().stream().filter(l -> !l.isEmpty()).toArray(String[]::new);
        if (labels.length == 1) {
            problems.add(target.name(), "has a single class '" + labels[0] + "'; a classifier needs at least 2");
        }
        return labels.length < 2 ? List.of() : LabelEncoder.fit(labels).classes();
    }

    /** Every regression target must be numbers; each non-number is reported with its line. */
    private static List<String> requireNumbers(CsvTable table, List<String> targets, boolean inferred, Problems problems) {
        for (String name : targets) {
            for (CsvColumn.Cell cell : table.column(name).nonNumericCells(Problems.MAX)) {
                problems.add(table.line(cell.row()), "'" + cell.text() + "' " + notANumber(cell.text()) + " in target column " + name
                        + (inferred ? "; several targets mean regression, which needs numbers"
                        : "; task regression needs numbers"));
            }
        }
        return List.of();
    }

    /** Why a cell is not a usable number: not one at all, or one that float32 cannot hold (1e39). */
    private static String notANumber(String text) {
        return Numbers.isDecimal(text) ? "is beyond the float32 range (about ±3.4e38)" : "is not a number";
    }

    /** The levels sorted by text, then {@value MissingValues#LEVEL} when a cell was missing (H2O's order). */
    private static List<String> sortedLevels(CsvColumn column) {
        List<String> levels = new ArrayList<>(column.levels().stream().filter(l -> !l.isEmpty())
                .sorted(Comparator.naturalOrder()).toList());
        if (column.missingCount() > 0) {
            levels.add(MissingValues.LEVEL);
        }
        return levels;
    }

    /** (rows, inputWidth) row-major: numbers as read, categories and hash buckets one-hot. */
    private static float[] inputs(CsvTable table, DatasetSchema schema) {
        int width = schema.inputWidth();
        float[] x = new float[table.rows() * width];
        int offset = 0;
        for (FeatureColumn feature : schema.features()) {
            CsvColumn column = table.column(feature.name());
            if (feature.type() == ColumnType.NUMERIC) {
                for (int r = 0; r < table.rows(); r++) {
                    x[r * width + offset] = column.number(r);
                }
            } else if (feature.type() == ColumnType.HASHED) {
                for (int r = 0; r < table.rows(); r++) {
                    x[r * width + offset + column.bucket(r)] = 1f;
                }
            } else {
                int[] slot = slots(column, feature.levels());
                for (int r = 0; r < table.rows(); r++) {
                    x[r * width + offset + slot[column.code(r)]] = 1f;
                }
            }
            offset += feature.width();
        }
        return x;
    }

    /** (rows, outputWidth) row-major: 0/1 or one-hot classes, or the regression values. */
    private static float[] outputs(CsvTable table, DatasetSchema schema) {
        int width = schema.outputWidth();
        float[] y = new float[table.rows() * width];
        if (schema.task() == Task.CLASSIFICATION) {
            CsvColumn column = table.column(schema.targets().get(0));
            int[] slot = slots(column, schema.classes());
            for (int r = 0; r < table.rows(); r++) {
                int c = slot[column.code(r)];
                if (width == 1) {
                    y[r] = c;
                } else {
                    y[r * width + c] = 1f;
                }
            }
            return y;
        }
        for (int t = 0; t < width; t++) {
            CsvColumn column = table.column(schema.targets().get(t));
            for (int r = 0; r < table.rows(); r++) {
                y[r * width + t] = column.number(r);
            }
        }
        return y;
    }

    /** For each dictionary code of the column, its index in {@code order}; a missing cell's is that of {@value MissingValues#LEVEL}. */
    private static int[] slots(CsvColumn column, List<String> order) {
        int[] slot = new int[column.levels().size()];
        for (int code = 0; code < slot.length; code++) {
            String level = column.levels().get(code);
            slot[code] = order.indexOf(level.isEmpty() ? MissingValues.LEVEL : level);
        }
        return slot;
    }
}
