package org.mlpservice.selection;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How a search walks its space (scikit-learn's GridSearchCV, RandomizedSearchCV and HalvingRandomSearchCV). */
enum Strategy {
    /** Every point of the space's lists. */
    GRID,
    /** Points drawn with the search's seed. */
    RANDOM,
    /** Points drawn as random does, raced on few epochs, the best of each rung kept for more. */
    HALVING;

    static final List<String> KEYS = Arrays.stream(values()).map(Strategy::key).toList();

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy named, grid when none; null for an unknown name. */
    static Strategy of(String name) {
        if (name == null) {
            return GRID;
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }
}
