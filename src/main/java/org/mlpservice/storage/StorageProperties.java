package org.mlpservice.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where datasets and model versions live.
 *
 * @param dir the data directory, {@code ./data} unless set ({@code mlp.storage.dir})
 */
@ConfigurationProperties("mlp.storage")
public record StorageProperties(@DefaultValue("./data") Path dir) {
}
