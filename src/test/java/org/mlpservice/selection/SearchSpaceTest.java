package org.mlpservice.selection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlpservice.web.ApiError;

/** The points of a space: the grid's order, draws without repeats, the ends of int_uniform, the seed. */
class SearchSpaceTest {

    private static SearchSpace space(Map<String, Object> given) {
        List<ApiError> errors = new ArrayList<>();
        SearchSpace space = SpaceReader.read(null, given, errors);
        assertThat(errors).isEmpty();
        return space;
    }

    private static Map<String, Object> ordered(Object... pathsAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            map.put((String) pathsAndValues[i], pathsAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void theGridVariesTheFirstSettingSlowest() {
        SearchSpace grid = space(ordered("optimizer.type", List.of("sgd", "adam"), "batchSize", List.of(16, 32, 64)));

        assertThat(grid.size()).isEqualTo(6);
        assertThat(grid.grid()).extracting(SearchSpace.Point::values).containsExactly(
                List.of("sgd", 16), List.of("sgd", 32), List.of("sgd", 64),
                List.of("adam", 16), List.of("adam", 32), List.of("adam", 64));
    }

    @Test
    void drawsFromListsNeverRepeatAPointAndTakeTheWholeGridWhenItIsSmall() {
        SearchSpace lists = space(ordered("l2", List.of(0.0, 0.001, 0.01, 0.1), "batchSize", List.of(8, 16, 32)));

        List<SearchSpace.Point> some = lists.draw(10, 3);
        assertThat(some).hasSize(10);
        assertThat(new HashSet<>(some.stream().map(SearchSpace.Point::values).toList())).hasSize(10);
        assertThat(lists.draw(12, 3)).extracting(SearchSpace.Point::values)
                .isEqualTo(lists.grid().stream().map(SearchSpace.Point::values).toList());
        assertThat(lists.draw(50, 3)).hasSize(12);
    }

    @Test
    void intUniformTakesBothEndsAndTheSameSeedTheSameDraws() {
        SearchSpace ints = space(ordered("earlyStopping.patience", Map.of("int_uniform", List.of(2, 4)),
                "optimizer.learningRate", Map.of("uniform", List.of(0.1, 0.2))));

        List<SearchSpace.Point> draws = ints.draw(40, 9);
        assertThat(draws).extracting(p -> p.values().get(0)).containsOnly(2, 3, 4).contains(2, 4);
        assertThat(draws).extracting(p -> (Double) p.values().get(1)).allSatisfy(v -> assertThat(v).isBetween(0.1, 0.2));
        assertThat(ints.draw(40, 9)).extracting(SearchSpace.Point::values)
                .isEqualTo(draws.stream().map(SearchSpace.Point::values).toList());
        assertThat(ints.draw(40, 10)).extracting(SearchSpace.Point::values)
                .isNotEqualTo(draws.stream().map(SearchSpace.Point::values).toList());
        assertThat(ints.size()).as("a real interval has no end of points").isEqualTo(-1);
    }

    @Test
    void everyTrainingSettingOfTheRequestIsSearchable() {
        assertThat(Setting.paths()).contains("epochs", "batchSize", "l1", "l2", "validationSplit", "shuffle", "standardize",
                "optimizer.type", "optimizer.learningRate", "optimizer.momentum", "optimizer.beta2", "optimizer.clipNorm",
                "optimizer.schedule.type", "optimizer.schedule.factor", "earlyStopping.patience", "earlyStopping.monitor",
                "hidden", "activation", "layers[*].dropout");
        assertThat(Setting.paths()).doesNotContain("seed", "datasetId", "modelId", "maxRuntimeSeconds", "optimizer");
        assertThat(Setting.ALL.get("optimizer.nesterov").kind()).isEqualTo(Setting.Kind.BOOLEAN);
        assertThat(Setting.ALL.get("optimizer.schedule.every").kind()).isEqualTo(Setting.Kind.INTEGER);
        assertThat(Setting.ALL.get("optimizer.learningRate").kind()).isEqualTo(Setting.Kind.REAL);
    }
}
