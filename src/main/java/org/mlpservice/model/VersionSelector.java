package org.mlpservice.model;

import java.util.List;
import java.util.regex.Pattern;
import org.mlpservice.web.ApiError;
import org.mlpservice.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * A version as users write it, in a path ({@code /versions/{v}}) or a parameter ({@code ?version=}):
 * {@code 1}, {@code 2}, …, {@code latest}, or an alias such as {@code champion}. The registry
 * resolves it ({@link ModelRegistry#version(String, VersionSelector)}). A number written another
 * way ({@code 01}, {@code +1}, {@code " 1"}) names no version and is a 404, rather than silently
 * version 1: one version has one address. Text that is neither a number nor an alias name is a 400.
 */
public final class VersionSelector {

    /** The one way a version number is written: no sign, no leading zero, no space. */
    private static final Pattern CANONICAL = Pattern.compile("[1-9][0-9]*");
    /** What Integer.parseInt would read too: a sign, leading zeros, spaces around. */
    private static final Pattern NUMBER_LIKE = Pattern.compile("\\s*[+-]?\\s*[0-9]+\\s*");
    /** An alias: a letter, then letters, digits, '-' and '_' (so never a number, never an id's dots or slashes). */
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

    private static final String WRITTEN_AS = "versions are written as 1, 2, …, 'latest' or an alias";
    static final String ALIAS_RULE = "letters, digits, '-' and '_', starting with a letter, at most 63 characters, "
            + "not 'latest' nor 'compare'";

    /** The newest version: the default. */
    public static final VersionSelector LATEST = new VersionSelector(null, null);

    private final Integer number;
    private final String alias;

    private VersionSelector(Integer number, String alias) {
        this.number = number;
        this.alias = alias;
    }

    /** Version {@code number}. */
    public static VersionSelector number(int number) {
        return new VersionSelector(number, null);
    }

    /**
     * Reads what the user wrote: a number, {@code latest} (also no value at all), or an alias name.
     *
     * @param text  what the user wrote; null or empty when the parameter was left out
     * @param field the name the user knows it by ({@code v} in a path, {@code version} in a query)
     */
    public static VersionSelector of(String text, String field) {
        if (text == null || text.isEmpty() || "latest".equalsIgnoreCase(text)) {
            return LATEST;
        }
        if (CANONICAL.matcher(text).matches()) {
            try {
                return number(Integer.parseInt(text));
            } catch (NumberFormatException overflow) {
                throw notAVersion(text, field, "there is no version " + text);
            }
        }
        if (NUMBER_LIKE.matcher(text).matches() && !text.strip().startsWith("-") && !text.strip().matches("0+")) {
            throw notAVersion(text, field, "'" + text + "' is not how a version is written; " + WRITTEN_AS);
        }
        if (ALIAS.matcher(text).matches()) {
            return new VersionSelector(null, text);
        }
        throw ApiException.invalid("'" + shorten(text) + "' is not a version", List.of(new ApiError(field,
                "must be a version number (1, 2, ...), 'latest' or an alias (" + ALIAS_RULE + "), got '"
                        + shorten(text) + "'")));
    }

    /** Checks the name of an alias being set (400 when it could not be read back by {@link #of}). */
    static String aliasName(String text, String field) {
        // 'compare' would be read as GET /versions/compare, the comparison, never as the alias.
        if (text == null || !ALIAS.matcher(text).matches() || "latest".equalsIgnoreCase(text) || "compare".equals(text)) {
            throw ApiException.invalid("'" + shorten(String.valueOf(text)) + "' is not an alias name",
                    List.of(new ApiError(field, "must be " + ALIAS_RULE + ", got '" + shorten(String.valueOf(text)) + "'")));
        }
        return text;
    }

    public boolean isLatest() {
        return number == null && alias == null;
    }

    /** The version number, or null for {@code latest} and aliases. */
    public Integer versionNumber() {
        return number;
    }

    /** The alias, or null for a number and {@code latest}. */
    public String alias() {
        return alias;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionSelector s && java.util.Objects.equals(number, s.number)
                && java.util.Objects.equals(alias, s.alias);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(number, alias);
    }

    @Override
    public String toString() {
        return number != null ? number.toString() : alias != null ? alias : "latest";
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
