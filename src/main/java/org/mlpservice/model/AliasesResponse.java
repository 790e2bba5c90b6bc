package org.mlpservice.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * A model's aliases, as every alias operation answers them.
 *
 * @param modelId the model's id
 * @param name    its name
 * @param aliases alias name to version number, sorted by name
 */
@Schema(description = "A model's aliases: name to version number")
record AliasesResponse(String modelId, String name,
                       @Schema(example = "{\"champion\": 2}") Map<String, Integer> aliases) {

    static AliasesResponse of(ModelDefinition model, Map<String, Integer> aliases) {
        return new AliasesResponse(model.id(), model.name(), aliases);
    }
}
