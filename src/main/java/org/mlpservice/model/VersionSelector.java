package org.mlpservice.model;

import java.util.List;
import java.util.regex.Pattern;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * Reads a version as users write it, in a path ({@code /versions/{v}}) or a parameter
 * ({@code ?version=}): {@code 1}, {@code 2}, … or {@code latest}. A number written another way
 * ({@code 01}, {@code +1}, {@code " 1"}) names no version and is a 404, rather than silently
 * version 1: one version has one address. Text that is no number at all is a 400.
 */
public final class VersionSelector {

    /** The one way a version number is written: no sign, no leading zero, no space. */
    private static final Pattern CANONICAL = Pattern.compile("[1-9][0-9]*");
    /** What Integer.parseInt would read too: a sign, leading zeros, spaces around. */
    private static final Pattern NUMBER_LIKE = Pattern.compile("\\s*[+-]?\\s*[0-9]+\\s*");

    private static final String WRITTEN_AS = "versions are written as 1, 2, … or 'latest'";

    private VersionSelector() {
    }

    /**
     * The version number, or null for the latest (the word {@code latest}, or no value at all).
     *
     * @param text  what the user wrote; null or empty when the parameter was left out
     * @param field the name the user knows it by ({@code v} in a path, {@code version} in a query)
     */
    public static Integer parse(String text, String field) {
        if (text == null || text.isEmpty() || "latest".equalsIgnoreCase(text)) {
            return null;
        }
        if (CANONICAL.matcher(text).matches()) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException overflow) {
                throw notAVersion(text, field, "there is no version " + text);
            }
        }
        if (NUMBER_LIKE.matcher(text).matches() && !text.strip().startsWith("-") && !text.strip().matches("0+")) {
            throw notAVersion(text, field, "'" + text + "' is not how a version is written; " + WRITTEN_AS);
        }
        throw ApiException.invalid("'" + shorten(text) + "' is not a version", List.of(new ApiError(field,
                "must be a version number (1, 2, ...) or 'latest', got '" + shorten(text) + "'")));
    }

    private static ApiException notAVersion(String text, String field, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", "No version '" + shorten(text) + "': " + WRITTEN_AS,
                List.of(new ApiError(field, message)));
    }

    /** The user's text cut short: an answer must not echo megabytes. */
    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
