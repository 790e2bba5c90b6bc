package org.mlpservice.training;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How far a running training job can be steered.
 *
 * @param maxPause longest a job may stay PAUSED (it holds its worker meanwhile); then it is cancelled, saying why
 */
@ConfigurationProperties("mlp.training")
public record SteeringProperties(@DefaultValue("10m") Duration maxPause) {

    public SteeringProperties {
        if (maxPause == null || maxPause.isNegative() || maxPause.isZero()) {
            throw new IllegalArgumentException("mlp.training.max-pause must be positive");
        }
    }

    /** The defaults (tests). */
    static SteeringProperties defaults() {
        return new SteeringProperties(Duration.ofMinutes(10));
    }
}
