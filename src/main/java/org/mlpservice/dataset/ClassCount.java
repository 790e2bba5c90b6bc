package org.mlpservice.dataset;

/**
 * One class of a classification dataset.
 *
 * @param label the class label as in the CSV ({@code "setosa"}, {@code "7"})
 * @param count rows of this class
 */
public record ClassCount(String label, long count) {
}
