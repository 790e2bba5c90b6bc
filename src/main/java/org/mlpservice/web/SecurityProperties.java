package org.mlpservice.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access settings ({@code mlp.security.*}).
 *
 * @param apiKey      when set, every /api request must carry it in the {@code X-API-Key} header;
 *                    empty (the default) leaves the API open
 * @param corsOrigins origins allowed to call the API from a browser; empty for same-origin only
 */
@ConfigurationProperties("mlp.security")
public record SecurityProperties(@DefaultValue("") String apiKey, @DefaultValue List<String> corsOrigins) {

    public boolean apiKeyRequired() {
        return apiKey != null && !apiKey.isBlank();
    }
}
