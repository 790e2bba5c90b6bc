package org.mlpservice.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * CORS for the API, from {@code mlp.security.cors-origins}, and how request bodies are read. Registers the
 * security settings and limits here too, so web slices (which skip the properties scan) get them with the filter.
 */
@Configuration
@EnableConfigurationProperties({SecurityProperties.class, LimitsProperties.class})
class WebConfig implements WebMvcConfigurer {

    /** How deep a request body may nest arrays and objects; the deepest real one (a weights import) needs 5. */
    static final int MAX_NESTING_DEPTH = 100;

    private final SecurityProperties security;

    WebConfig(SecurityProperties security) {
        this.security = security;
    }

    /**
     * Request bodies are read strictly, as Keras refuses an unknown keyword: a misspelt field
     * ({@code "epoch": 100}) is a 400 naming it rather than a silent default, 2.5 is not a
     * whole number (Jackson would otherwise truncate it to 2), and {@code "32"} is not a number
     * nor {@code "false"} a boolean (Jackson would otherwise read the text). The advice words each for the user.
     * Prediction instances are plain values, not bound to numbers, so "150.5" in a numeric column stays allowed there.
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
    }

    /**
     * Answers write doubles and floats with Jackson's Schubfach writer: text that reads back as the
     * same number, as {@code Double.toString}'s does, at a fraction of JDK 17's cost; a prediction
     * answer writes one number per class and row.
     */
    @Bean
    JsonMapperBuilderCustomizer fastNumberWriting() {
        return builder -> builder.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    }

    /**
     * Boot's JSON mapper builder, on a parser that refuses bodies nested deeper than
     * {@link #MAX_NESTING_DEPTH} (Jackson's default is 500). A customizer cannot change the parser
     * factory of a builder, so this replaces Boot's builder bean and applies every customizer as it does.
     */
    @Bean
    @Scope("prototype")
    JsonMapper.Builder jsonMapperBuilder(ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build()).build();
        JsonMapper.Builder builder = JsonMapper.builder(factory);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder;
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
