package org.mlpservice.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.mlpservice.web.ApiError;

/**
 * Reads a CSV upload in one streaming pass with Apache Commons CSV (RFC 4180 quoting, blank lines
 * skipped, blanks around values ignored, a UTF-8 byte order mark dropped). The first line names
 * the columns. Every cell goes straight into a primitive {@link CsvColumn}; the bytes are counted
 * against the upload limit and digested on the way, and the columns' buffers against the dataset
 * budget: a row that would take them past it stops reading with a 413, before it is stored.
 *
 * <p>Missing cells ({@link MissingValues#isMissing}) are handed to the columns as {@code ""}; by
 * the upload's policy a row with one is dropped ({@code drop_rows}) or reported ({@code error});
 * a missing target is always reported, unless the row is dropped. Ignored columns are read and
 * kept but never make a row dropped or reported.
 *
 * <p>Problems (empty file, bad header, missing target column, unknown ignored column, ragged row,
 * missing cell, too many rows or columns, malformed quoting, bad encoding) are collected in
 * {@link Problems}, each naming its line; reading stops once {@link Problems#MAX} are found.
 */
final class CsvTableReader {

    /**
     * What one upload may contain.
     *
     * @param maxBytes    most bytes of CSV ({@code mlp.limits.upload-size})
     * @param maxRows     most data rows ({@code mlp.limits.rows})
     * @param maxColumns  most columns ({@code mlp.limits.columns})
     * @param maxLevels   most distinct texts a column keeps as levels ({@code mlp.limits.levels})
     * @param budgetBytes most bytes the columns may hold as read ({@code mlp.limits.dataset-bytes})
     * @param hashBuckets above 0: feature columns past {@code maxLevels} keep a hash bucket among this many per row
     */
    record Limits(long maxBytes, int maxRows, int maxColumns, int maxLevels, long budgetBytes, int hashBuckets) {
    }

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).get();
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private CsvTableReader() {
    }

    /** What to do with columns and missing cells: the targets, the ignored columns, the missing-value policy. */
    record Columns(List<String> targets, List<String> ignored, MissingValues.Policy missing) {
    }

    /** Reads an upload whose targets are {@code requiredColumns}, nothing ignored, missing values filled by the mean. */
    static CsvTable read(InputStream body, Charset charset, Limits limits, List<String> requiredColumns, Problems problems) {
        return read(body, charset, limits, new Columns(requiredColumns, List.of(), MissingValues.Policy.MEAN), problems);
    }

    /**
     * Reads the whole upload. Returns null when no table could be formed (the problems say why);
     * otherwise the table, which may still come with problems (ragged rows, missing cells).
     *
     * @param roles targets (the header must have them; a missing one stops reading early), ignored
     *              columns (the same) and the missing-value policy
     * @throws UploadTooLargeException as soon as more than {@code limits.maxBytes()} bytes arrive
     */
    static CsvTable read(InputStream body, Charset charset, Limits limits, Columns roles, Problems problems) {
        List<String> requiredColumns = roles.targets();
        UploadStream upload = new UploadStream(body, limits.maxBytes());
        CSVParser parser = null;
        long line = 0;
        try {
            Reader reader = new InputStreamReader(withoutBom(upload, charset), charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            parser = FORMAT.parse(reader);
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                problems.add("file", "is empty: the first line must name the columns");
                return null;
            }
            CSVRecord first = records.next();
            List<String> header = header(first, parser.getCurrentLineNumber(), limits, roles, problems);
            if (header == null) {
                return null;
            }
            line = parser.getCurrentLineNumber();
            // Each row takes at least 4 bytes per column and 4 for its line number: no buffer needs more rows.
            long leastRowBytes = Integer.BYTES * (header.size() + 1L);
            int rowCapacity = (int) Math.min(limits.maxRows(), limits.budgetBytes() / leastRowBytes);
            List<CsvColumn> columns = header.stream().map(name -> new CsvColumn(name, limits.maxLevels(),
                    requiredColumns.contains(name) ? 0 : limits.hashBuckets(), rowCapacity)).toList();
            int[] rowLines = new int[Math.min(256, Math.max(rowCapacity, 1))];
            RowCheck check = new RowCheck(header, roles);
            long rowBytes = leastRowBytes;
            int rows = 0;
            int dropped = 0;
            while (records.hasNext()) {
                long endLine = parser.getCurrentLineNumber(); // hasNext() has read the record ahead
                CSVRecord record = records.next();
                long startLine = startLine(record, line, endLine);
                line = endLine;
                if (record.size() != header.size()) {
                    problems.add("line " + startLine, "has " + record.size() + " fields, the header has " + header.size());
                } else if (rows == limits.maxRows()) {
                    problems.add("file", "has more than " + limits.maxRows() + " rows, the limit (mlp.limits.rows)");
                    break;
                } else if ((rows + 1L) * rowBytes > limits.budgetBytes()) {
                    throw overBudget(rows, rowBytes, startLine, columns, limits);
                } else if (check.drops(record, startLine, problems)) {
                    dropped++;
                } else {
                    rowBytes = addRow(record, columns);
                    if (rows == rowLines.length) {
                        rowLines = Arrays.copyOf(rowLines, (int) Math.min(rows + (rows >> 1) + 16L, rowCapacity));
                    }
                    rowLines[rows++] = (int) startLine;
                }
                if (problems.full()) {
                    problems.markTruncated();
                    break;
                }
            }
            if (rows == 0 && dropped > 0 && !problems.any()) {
                problems.add("file", "has no rows left: all " + dropped + " rows have a missing value (missing=drop_rows)");
            } else if (rows == 0 && !problems.any()) {
                problems.add("file", "has a header line but no data rows");
            }
            columns.forEach(CsvColumn::finish);
            return new CsvTable(header, columns, rows, Arrays.copyOf(rowLines, rows), upload.sha256(), dropped);
        } catch (UncheckedIOException e) {
            unreadable(e.getCause(), charset, line + 1, problems);
            return null;
        } catch (IOException e) {
            unreadable(e, charset, line + 1, problems);
            return null;
        } finally {
            closeQuietly(parser);
        }
    }

    private static List<String> header(CSVRecord record, long line, Limits limits, Columns roles, Problems problems) {
        List<String> required = roles.targets();
        List<String> names = record.stream().map(String::strip).toList();
        if (names.size() > limits.maxColumns()) {
            problems.add("file", "has " + names.size() + " columns, the limit is " + limits.maxColumns()
                    + " (mlp.limits.columns)");
            return null;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Integer first = seen.putIfAbsent(name, i);
            if (name.isEmpty()) {
                problems.add("line " + line, "column " + (i + 1) + " has no name"
                        + (i == 0 ? " (a pandas index? write the CSV with index=False)" : ""));
            } else if (first != null) {
                problems.add("line " + line, "column name '" + name + "' appears more than once (columns "
                        + (first + 1) + " and " + (i + 1) + ")");
            }
        }
        // One column whose name holds ';' or a tab: the file is separated by something else than commas.
        String separator = names.size() == 1 && (names.get(0).contains(";") || names.get(0).contains("\t"))
                ? " (the columns must be separated by commas)" : "";
        for (String column : required) {
            if (!names.contains(column)) {
                problems.add("target", "column '" + column + "' is not in the header; the columns are " + names + separator);
            }
        }
        for (String column : roles.ignored()) {
            if (!names.contains(column)) {
                problems.add("ignore", "column '" + column + "' is not in the header; the columns are " + names + separator);
            }
        }
        return problems.any() ? null : names;
    }

    /** Adds the row's cells, a missing one as {@code ""}; answers the bytes a row now takes in the columns, its line number included. */
    private static long addRow(CSVRecord record, List<CsvColumn> columns) {
        long rowBytes = Integer.BYTES;
        for (int c = 0; c < columns.size(); c++) {
            String text = record.get(c).strip();
            columns.get(c).add(MissingValues.isMissing(text) ? "" : text);
            rowBytes += columns.get(c).bytesPerRow();
        }
        return rowBytes;
    }

    /** Looks at a row's missing cells before it is added: drops it, reports it, or lets it in. */
    private static final class RowCheck {
        private final List<String> header;
        private final boolean[] watched; // features and targets; ignored columns never count
        private final boolean[] target;
        private final MissingValues.Policy policy;

        RowCheck(List<String> header, Columns roles) {
            this.header = header;
            this.policy = roles.missing();
            this.watched = new boolean[header.size()];
            this.target = new boolean[header.size()];
            for (int c = 0; c < header.size(); c++) {
                watched[c] = !roles.ignored().contains(header.get(c));
                target[c] = roles.targets().contains(header.get(c));
            }
        }

        /** True when the row is to be left out (drop_rows); a problem is added when it cannot be kept as it is. */
        boolean drops(CSVRecord record, long line, Problems problems) {
            List<String> missing = null;
            List<String> targets = null;
            for (int c = 0; c < header.size(); c++) {
                if (watched[c] && MissingValues.isMissing(record.get(c))) {
                    missing = missing == null ? new ArrayList<>() : missing;
                    missing.add(header.get(c));
                    if (target[c]) {
                        targets = targets == null ? new ArrayList<>() : targets;
                        targets.add(header.get(c));
                    }
                }
            }
            if (missing == null) {
                return false;
            }
            if (policy == MissingValues.Policy.DROP_ROWS) {
                return true;
            }
            if (policy == MissingValues.Policy.ERROR) {
                problems.add("line " + line, names(missing) + " missing; missing=error refuses missing values "
                        + "(missing=mean or median fills them, drop_rows drops the row)");
            } else if (targets != null) {
                problems.add("line " + line, "target " + names(targets) + " missing; a row needs its target: "
                        + "complete it, or upload with missing=drop_rows to drop such rows");
            }
            return false;
        }

        private static String names(List<String> columns) {
            return columns.size() == 1 ? "column " + columns.get(0) + " is" : "columns " + columns + " are";
        }
    }

    /** The 413 for a CSV whose columns would pass the budget with one more row; names the hashed columns, which take more. */
    private static DatasetTooLargeException overBudget(int rows, long rowBytes, long line, List<CsvColumn> columns,
                                                       Limits limits) {
        List<ApiError> errors = new ArrayList<>();
        errors.add(new ApiError("file", "has more than " + rows + " rows: at " + rowBytes + " bytes a row as read (4 for each of its "
                + columns.size() + " columns and its line number, 4 more for each hashed column), the rows from "
                + "line " + line + " on pass the limit of " + limits.budgetBytes() + " bytes (mlp.limits.dataset-bytes)"));
        for (CsvColumn column : columns) {
            if (column.hasBuckets()) {
                errors.add(new ApiError(column.name(), "has more than " + limits.maxLevels()
                        + " levels and is hashed: 8 bytes a row as read (its value and its bucket)"));
            }
        }
        return new DatasetTooLargeException("The CSV holds more values than fit in the dataset budget of "
                + limits.budgetBytes() + " bytes (mlp.limits.dataset-bytes); reading stopped at line " + line, errors);
    }

    /**
     * The line a record started on. Commons CSV tells where the parser stands after the record; a
     * record that spans several lines (a quoted line break) or follows skipped blank lines starts earlier.
     */
    private static long startLine(CSVRecord record, long previousEnd, long end) {
        if (end - previousEnd <= 1) {
            return end;
        }
        long breaks = 0;
        for (String value : record) {
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch == '\n' || (ch == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n'))) {
                    breaks++;
                }
            }
        }
        return end - breaks;
    }

    private static void unreadable(Throwable cause, Charset charset, long line, Problems problems) {
        if (cause instanceof CharacterCodingException) {
            problems.add("line " + line, "is not valid " + charset.name() + " text");
        } else {
            problems.add("line " + line, "is not valid CSV: " + csvReason(cause.getMessage()));
        }
    }

    /** Commons CSV's reason without its own "(line N)" prefix (the field names the line), in plainer words where known. */
    static String csvReason(String message) {
        String m = message == null ? "" : message.replaceFirst("^\\((start)?line \\d+\\)\\s*", "");
        if (m.startsWith("EOF reached before encapsulated token finished")) {
            return "a quoted value starts here and is never closed (a '\"' without its closing '\"')";
        }
        if (m.startsWith("invalid char between encapsulated token and delimiter")) {
            return "text follows a closing quote before the next comma (write a '\"' inside a quoted value as '\"\"')";
        }
        return m;
    }

    private static InputStream withoutBom(InputStream in, Charset charset) throws IOException {
        if (!charset.equals(StandardCharsets.UTF_8)) {
            return in;
        }
        PushbackInputStream pushback = new PushbackInputStream(in, UTF8_BOM.length);
        byte[] start = pushback.readNBytes(UTF8_BOM.length);
        if (!Arrays.equals(start, UTF8_BOM)) {
            pushback.unread(start);
        }
        return pushback;
    }

    private static void closeQuietly(CSVParser parser) {
        if (parser == null) {
            return;
        }
        try {
            parser.close();
        } catch (IOException ignored) {
            // nothing was written; the request stream is closed by the container
        }
    }
}
