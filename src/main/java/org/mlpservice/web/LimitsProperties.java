package org.mlpservice.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request or job may ask of the service ({@code mlp.limits.*}). Exceeding one answers
 * problem+json: 413 for the upload size, 400 for the others, naming the limit.
 *
 * @param uploadSize             largest CSV upload (multipart file or text/csv body)
 * @param rows                   most rows in a dataset
 * @param columns                most columns in a dataset
 * @param parameters             most trainable parameters in a model
 * @param epochs                 most epochs in a training job
 * @param epochRows              most epochs × rows in a training job
 * @param instances              most instances in one prediction request
 */
@ConfigurationProperties("mlp.limits")
public record LimitsProperties(
        @DefaultValue("100MB") DataSize uploadSize,
        @DefaultValue("1000000") int rows,
        @DefaultValue("2000") int columns,
        @DefaultValue("5000000") long parameters,
        @DefaultValue("10000") int epochs,
        @DefaultValue("200000000") long epochRows,
        @DefaultValue("10000") int instances) {
}
