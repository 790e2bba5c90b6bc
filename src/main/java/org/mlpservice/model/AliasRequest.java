package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code PUT /models/{id}/aliases/{alias}}.
 *
 * @param version a version number, or text: {@code "latest"} (the number it is at this moment),
 *                a number written as text, or another alias
 */
@Schema(description = "The version an alias points at")
record AliasRequest(
        @Schema(description = "A version number, or `\"latest\"` (resolved now to its number) or another alias",
                oneOf = {Integer.class, String.class}, example = "2")
        Object version) {
}
