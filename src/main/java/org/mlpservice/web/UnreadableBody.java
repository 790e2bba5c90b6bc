package org.mlpservice.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says in a user's words why a JSON body could not be read, and where: {@code samples} "must be a
 * whole number", {@code layers[0].unitz} "is not a field of this request", or the line and column
 * of a syntax error. Jackson's own messages name Java classes and parser features, so they are
 * never passed on as they are.
 *
 * @param detail the problem's detail
 * @param errors the field (a JSON path such as {@code layers[1].units}, or {@code body}) and what is wrong with it
 */
record UnreadableBody(String detail, List<ApiError> errors) {

    static UnreadableBody of(HttpMessageNotReadableException e) {
        StreamConstraintsException limit = cause(e, StreamConstraintsException.class);
        if (limit != null) {
            String reason = overLimit(limit.getOriginalMessage());
            return new UnreadableBody("The request body is refused: " + reason, List.of(new ApiError("body", reason)));
        }
        JacksonException jackson = cause(e, JacksonException.class);
        if (jackson == null) {
            // Spring's words: "Required request body is missing: ..." for an empty body (or a JSON null).
            return new UnreadableBody("The request body is missing; this operation takes a JSON object",
                    List.of(new ApiError("body", "is required: a JSON object")));
        }
        boolean trailing = String.valueOf(jackson.getOriginalMessage()).startsWith("Trailing token");
        if (trailing || jackson instanceof StreamReadException && !(jackson instanceof InputCoercionException)) {
            String reason = syntax(jackson.getOriginalMessage());
            return new UnreadableBody("The request body is not valid JSON: " + reason + where(jackson.getLocation()),
                    List.of(new ApiError("body", reason + where(jackson.getLocation()))));
        }
        String path = path(jackson);
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            String message = "is not a field of " + (path.contains(".") || path.contains("[") ? "this object" : "this request")
                    + "; known: " + known(unknown.getKnownPropertyIds());
            return new UnreadableBody("The request body has an unknown field '" + path + "'", List.of(new ApiError(path, message)));
        }
        String message = expected(jackson);
        if (fromString(jackson) && message.startsWith("must be") && !message.equals("must be a string")) {
            // "32" or "false" in quotes: the type is right in spirit, the JSON is not; say which.
            message += ", not a string";
        }
        if (path.isEmpty()) {
            return new UnreadableBody("The request body must be a JSON object", List.of(new ApiError("body", "must be a JSON object")));
        }
        return new UnreadableBody("The request body has a value of the wrong type: " + path + " " + message,
                List.of(new ApiError(path, message)));
    }

    /** A number or boolean sent as text: "ten" (not readable) or "32" (readable, refused as a coercion). */
    private static boolean fromString(JacksonException e) {
        return e instanceof InvalidFormatException bad && bad.getValue() instanceof String
                || String.valueOf(e.getOriginalMessage()).startsWith("Cannot coerce String value");
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Which of the parser's limits the body went over, in words: Jackson's text names its settings
     * class. Deep nesting is the one a client meets (a 10,000-deep {@code [[[...]]]}); the others
     * are Jackson's defaults for one number, string or field name.
     */
    private static String overLimit(String message) {
        String m = message == null ? "" : message;
        if (m.contains("nesting depth")) {
            return "its JSON is nested too deeply (more than " + WebConfig.MAX_NESTING_DEPTH + " levels of arrays and objects)";
        }
        if (m.startsWith("Number value length")) {
            return "it has a number longer than " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " characters";
        }
        if (m.startsWith("Name length")) {
            return "it has a field name longer than " + StreamReadConstraints.DEFAULT_MAX_NAME_LEN + " characters";
        }
        if (m.startsWith("String value length")) {
            return "it has a string longer than " + StreamReadConstraints.DEFAULT_MAX_STRING_LEN + " characters";
        }
        return "it is over the limits of the JSON reader";
    }

    /** {@code layers[1].units} from Jackson's chain of references. */
    static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What the field should have held, from the Java type it was bound to. */
    private static String expected(JacksonException e) {
        Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType()
                : e instanceof InputCoercionException c ? c.getTargetType() : null;
        if (type == null) {
            return "has a value of the wrong type";
        }
        if (type == Integer.class || type == int.class || type == Short.class || type == short.class) {
            return "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "must be a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "must be an object";
        }
        return "must be an object";
    }

    /**
     * A syntax error in words. The parser's own text names no Java class ("Unrecognized token 'x':
     * was expecting ...") and is passed on, except where it names parser settings.
     */
    private static String syntax(String message) {
        String m = message == null ? "" : message;
        if (m.contains("'NaN'") || m.contains("'Infinity'") || m.contains("'-Infinity'") || m.contains("'+Infinity'")) {
            return "NaN and Infinity are not JSON numbers; send finite numbers";
        }
        if (m.startsWith("Trailing token")) {
            return "there is more content after the JSON value";
        }
        if (m.contains("end-of-input")) {
            return "the body ends before the JSON value is complete";
        }
        if (m.contains("comment")) {
            return "comments are not allowed in JSON";
        }
        if (m.isBlank() || m.contains("`") || m.contains("Feature") || m.contains("$")) {
            return "it cannot be parsed";
        }
        return m;
    }

    private static String where(TokenStreamLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static String known(Collection<Object> names) {
        return names == null ? "[]" : names.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
