package org.mlpservice.dataset;

import java.util.List;

/**
 * A CSV upload as read: the header, one primitive column per header name, and for each row the
 * line of the file it started on (for error messages).
 *
 * @param header   column names in file order
 * @param columns  one per header name, same order
 * @param rows     data rows kept (ragged rows are reported, not kept)
 * @param rowLines the file line each kept row started on
 * @param sha256   hex SHA-256 of the uploaded bytes
 * @param droppedRows rows left out for a missing value ({@code missing=drop_rows})
 */
record CsvTable(List<String> header, List<CsvColumn> columns, int rows, int[] rowLines, String sha256, int droppedRows) {

    CsvColumn column(String name) {
        return columns.get(header.indexOf(name));
    }

    /** "line N" for a kept row, the form every CSV problem uses as its field. */
    String line(int row) {
        return "line " + rowLines[row];
    }
}
