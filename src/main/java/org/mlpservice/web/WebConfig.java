package org.mlpservice.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;

/**
 * CORS for the API, from {@code mlp.security.cors-origins}, and how request bodies are read. Registers the
 * security settings and limits here too, so web slices (which skip the properties scan) get them with the filter.
 */
@Configuration
@EnableConfigurationProperties({SecurityProperties.class, LimitsProperties.class})
class WebConfig implements WebMvcConfigurer {

    private final SecurityProperties security;

    WebConfig(SecurityProperties security) {
        this.security = security;
    }

    /**
     * Request bodies are read strictly, as Keras refuses an unknown keyword: a misspelt field
     * ({@code "epoch": 100}) is a 400 naming it rather than a silent default, and 2.5 is not a
     * whole number (Jackson would otherwise truncate it to 2). The advice words both for the user.
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (security.corsOrigins().isEmpty()) {
            return;
        }
        registry.addMapping("/api/**")
                .allowedOrigins(security.corsOrigins().toArray(String[]::new))
                .allowedMethods("GET", "POST", "DELETE", "OPTIONS")
                .allowedHeaders("*")
                .exposedHeaders("Location", "Retry-After");
    }
}
