package org.mlpservice.web;

import java.util.ArrayList;
import java.util.List;

/** The rules of every paged answer ({@code offset} and {@code limit} query parameters). */
public final class Pages {

    private Pages() {
    }

    /** 400 naming each bad parameter: an offset below 0, a limit outside 1..{@code max}. */
    public static void check(int offset, int limit, int max) {
        List<ApiError> errors = new ArrayList<>();
        if (offset < 0) {
            errors.add(new ApiError("offset", "must be at least 0, got " + offset));
        }
        if (limit < 1 || limit > max) {
            errors.add(new ApiError("limit", "must be between 1 and " + max + ", got " + limit));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() + " parameter(s) are invalid", errors);
        }
    }
}
