package org.mlpservice.selection;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How searches run ({@code mlp.search.*}). They share the training workers and queue
 * ({@code mlp.training.*}) and keep finished searches as long as finished training jobs; the work
 * of a whole search (epochs × rows over every fit) is bounded by {@code mlp.limits.epoch-rows}.
 *
 * @param maxCandidates most hidden layouts in one search
 */
@ConfigurationProperties("mlp.search")
public record SearchProperties(@DefaultValue("50") int maxCandidates) {

    public SearchProperties {
        if (maxCandidates < 1) {
            throw new IllegalArgumentException("mlp.search.max-candidates must be at least 1");
        }
    }
}
