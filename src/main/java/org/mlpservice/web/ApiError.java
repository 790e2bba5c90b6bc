package org.mlpservice.web;

/**
 * One problem in a request, in a problem+json answer's {@code errors[]}.
 *
 * @param field   what is wrong: a JSON path such as {@code layers[1].activation}, a parameter
 *                name, or a CSV location such as {@code line 7}
 * @param message what is wrong with it, in words
 */
public record ApiError(String field, String message) {
}
