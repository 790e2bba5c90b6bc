package org.mlpservice.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header: what the service is and how to walk through it. */
@Configuration
class OpenApiConfig {

    @Bean
    OpenAPI mlpServiceOpenApi(SecurityProperties security) {
        OpenAPI api = new OpenAPI().info(new Info()
                .title("mlp-service")
                .version("v1")
                .license(new License().name("Apache-2.0"))
                .description("""
                        Trains multi-layer perceptrons behind HTTP. The lecture's example in five calls:
                        1. `POST /api/v1/datasets/generate` {"kind":"circles","samples":100,"noise":0.15,"factor":0.3}
                        2. `POST /api/v1/models` — 2 inputs, Dense 20 relu, Dense 1 sigmoid, binary_crossentropy (81 parameters)
                        3. `POST /api/v1/training-jobs` — SGD, batch 10, 100 epochs; answers 202 and a job to watch
                           (`GET /api/v1/training-jobs/{id}` or its `/events` stream)
                        4. `POST /api/v1/models/{id}/predict` {"instances":[[0.1,0.2]]}
                        5. `POST /api/v1/models/{id}/evaluate` {"datasetId":"..."}
                        Every error is application/problem+json (RFC 9457) with `errors[]` naming each bad field."""));
        if (security.apiKeyRequired()) {
            api.components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                            .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(ApiKeyFilter.HEADER)))
                    .addSecurityItem(new SecurityRequirement().addList("apiKey"));
        }
        return api;
    }
}
