package org.mlpservice.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * CORS for the API, from {@code mlp.security.cors-origins}. Registers the security settings and limits here
 * too, so web slices (which skip the properties scan) get them with the filter.
 */
@Configuration
@EnableConfigurationProperties({SecurityProperties.class, LimitsProperties.class})
class WebConfig implements WebMvcConfigurer {

    private final SecurityProperties security;

    WebConfig(SecurityProperties security) {
        this.security = security;
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
