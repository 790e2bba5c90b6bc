package org.mlpservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of mlp-service: a REST service that trains multi-layer perceptrons. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MlpServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MlpServiceApplication.class, args);
    }
}
