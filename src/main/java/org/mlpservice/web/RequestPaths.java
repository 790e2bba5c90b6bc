package org.mlpservice.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UrlPathHelper;

/**
 * A request's path as the application resolves it, not the raw URI: {@code /api;x=1/v1/datasets},
 * {@code /%61pi/v1/datasets} and {@code //api/v1/datasets} are all {@code /api/v1/datasets}, so a
 * filter that decides on the path cannot be slipped past.
 */
final class RequestPaths {

    /** Decodes %xx and drops ;parameters, as the servlet mapping does. */
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private RequestPaths() {
    }

    /** Decoded, without ;parameters, dot segments resolved, repeated slashes folded. */
    static String of(HttpServletRequest request) {
        return StringUtils.cleanPath(decoded(request)).replaceAll("/{2,}", "/");
    }

    /** Decoded, without ;parameters, repeated slashes folded; dot segments as sent. */
    static String decoded(HttpServletRequest request) {
        return PATHS.getPathWithinApplication(request).replaceAll("/{2,}", "/");
    }
}
