package org.mlpservice.dataset;

import java.util.List;
import java.util.Map;

/**
 * A page of a dataset's rows, decoded back to column values: numbers, category names and class
 * labels, by column name in file order.
 *
 * @param offset index of the first row listed
 * @param limit  most rows asked for
 * @param total  rows in the dataset
 * @param rows   the rows, at most {@code limit}
 */
public record RowsPage(int offset, int limit, int total, List<Map<String, Object>> rows) {
}
