package org.mlpservice.dataset;

import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The datasets of this service: stored in the data directory, reloaded at start-up.
 * (Contract used by training and prediction; the dataset feature fills in the rest.)
 */
@Service
public class DatasetCatalog {

    /** The dataset, or a 404 problem. */
    public Dataset get(String id) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Every dataset, newest first. */
    public List<Dataset> list() {
        throw new UnsupportedOperationException("not built yet");
    }
}
