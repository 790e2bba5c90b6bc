package org.mlpservice.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request or job may ask of the service ({@code mlp.limits.*}). Exceeding one answers
 * problem+json: 413 for the upload size and the dataset memory budget, 400 for the others, naming
 * the limit.
 *
 * @param uploadSize             largest CSV upload (multipart file or text/csv body)
 * @param rows                   most rows in a dataset
 * @param columns                most columns in a dataset
 * @param parameters             most trainable parameters in a model
 * @param epochs                 most epochs in a training job
 * @param epochRows              most epochs × rows in a training job
 * @param instances              most instances in one prediction request
 * @param datasetBytes           most memory one upload's values may take, 4 bytes a value: checked
 *                               while the CSV is read (rows × columns) and again before it is encoded
 *                               (rows × encoded inputs and outputs); unset, a quarter of the maximum
 *                               heap ({@link #defaultDatasetBytes()})
 * @param levels                 most distinct values of a categorical column or a class label column;
 *                               also the bucket count of a column hashed with {@code highCardinality=hash}
 */
@ConfigurationProperties("mlp.limits")
public record LimitsProperties(
        @DefaultValue("100MB") DataSize uploadSize,
        @DefaultValue("1000000") int rows,
        @DefaultValue("2000") int columns,
        @DefaultValue("5000000") long parameters,
        @DefaultValue("10000") int epochs,
        @DefaultValue("200000000") long epochRows,
        @DefaultValue("10000") int instances,
        DataSize datasetBytes,
        @DefaultValue("1000") int levels) {

    /** Fewest levels: a column needs two to tell rows apart, a hashed one two buckets. */
    public static final int MIN_LEVELS = 2;

    @ConstructorBinding
    public LimitsProperties {
        if (datasetBytes == null) {
            datasetBytes = defaultDatasetBytes();
        }
        if (levels < MIN_LEVELS) {
            throw new IllegalArgumentException("mlp.limits.levels must be at least " + MIN_LEVELS + ", got " + levels);
        }
    }

    /** The limits before the dataset budget and the level limit existed: those two take their defaults. */
    public LimitsProperties(DataSize uploadSize, int rows, int columns, long parameters, int epochs, long epochRows,
                            int instances) {
        this(uploadSize, rows, columns, parameters, epochs, epochRows, instances, null, 1000);
    }

    /**
     * A quarter of {@link Runtime#maxMemory()}: the raw columns and the encoded arrays of one upload
     * then take at most half the heap together, leaving the rest to training jobs and other requests.
     */
    public static DataSize defaultDatasetBytes() {
        return DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 4);
    }
}
