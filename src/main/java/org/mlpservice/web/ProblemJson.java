package org.mlpservice.web;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * A problem+json body written by hand, for the places that answer before Spring MVC and its
 * message converters are involved: the API key filter and the container's own error reports.
 * Same fields as {@link ProblemDetailsAdvice#problem}: type, title, status, detail, instance, errors.
 */
final class ProblemJson {

    static final String CONTENT_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    static String of(int status, String title, String detail, String instance) {
        return "{\"type\":\"urn:mlp-service:problem:" + slug(title) + "\",\"title\":" + quote(title)
                + ",\"status\":" + status + ",\"detail\":" + quote(detail) + ",\"instance\":" + quote(instance)
                + ",\"errors\":[]}";
    }

    /** The status's reason phrase as the advice writes titles: "Bad request", "Method not allowed". */
    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        if (known == null) {
            return "Error";
        }
        String phrase = known.getReasonPhrase();
        return phrase.charAt(0) + phrase.substring(1).toLowerCase(Locale.ROOT);
    }

    static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** A JSON string literal; the request URI is the user's text, so everything is escaped. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
