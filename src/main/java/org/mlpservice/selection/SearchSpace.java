package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.mlpservice.selection.Setting.Kind;
import org.mlpservice.web.ApiError;

/**
 * Where a search looks: for each searched setting a list of values or a distribution to draw
 * from, in the request's order. A grid takes the whole product of the lists (the first setting
 * varies slowest, as the request reads); a random draw takes n points, seeded: same seed, same
 * points, and never the same point twice.
 */
final class SearchSpace {

    static final List<String> DISTRIBUTIONS = List.of("log_uniform", "uniform", "int_uniform");
    /** Draws tried per wanted point before a space with fewer distinct points is taken as exhausted. */
    private static final int ATTEMPTS_PER_POINT = 100;

    private final List<Dimension> dimensions;

    SearchSpace(List<Dimension> dimensions) {
        this.dimensions = List.copyOf(dimensions);
    }

    List<Dimension> dimensions() {
        return dimensions;
    }

    boolean isEmpty() {
        return dimensions.isEmpty();
    }

    /** The distributions among the dimensions (a grid takes none). */
    List<Distribution> distributions() {
        return dimensions.stream().filter(Distribution.class::isInstance).map(Distribution.class::cast).toList();
    }

    /** Distinct points in the space, or -1 when a real distribution makes them countless (or past a long). */
    long size() {
        long size = 1;
        for (Dimension d : dimensions) {
            long n = d.count();
            if (n < 0 || size > Long.MAX_VALUE / Math.max(1, n)) {
                return -1;
            }
            size *= n;
        }
        return size;
    }

    /** Every point, the first dimension varying slowest; for a countable space only. */
    List<Point> grid() {
        long size = size();
        List<Point> points = new ArrayList<>();
        for (long p = 0; p < size; p++) {
            points.add(at(p));
        }
        return points;
    }

    /**
     * {@code n} distinct points drawn with {@code seed}; the whole space, in grid order, when it has
     * no more than {@code n} points.
     */
    List<Point> draw(int n, long seed) {
        long size = size();
        if (size >= 0 && size <= n) {
            return grid();
        }
        Random random = new Random(seed);
        Set<List<Object>> seen = new HashSet<>();
        List<Point> points = new ArrayList<>();
        for (int attempt = 0; points.size() < n && attempt < n * ATTEMPTS_PER_POINT; attempt++) {
            List<Object> values = new ArrayList<>();
            int[] indices = new int[dimensions.size()];
            for (int d = 0; d < dimensions.size(); d++) {
                Dimension dimension = dimensions.get(d);
                if (dimension instanceof Values v) {
                    indices[d] = random.nextInt(v.values().size());
                    values.add(v.values().get(indices[d]));
                } else {
                    indices[d] = -1;
                    values.add(((Distribution) dimension).draw(random));
                }
            }
            if (seen.add(values)) {
                points.add(new Point(values, indices));
            }
        }
        return points;
    }

    /** The point at place {@code p} of the grid order. */
    private Point at(long p) {
        int[] indices = new int[dimensions.size()];
        Object[] values = new Object[dimensions.size()];
        for (int d = dimensions.size() - 1; d >= 0; d--) {
            Dimension dimension = dimensions.get(d);
            long count = dimension.count();
            int i = (int) (p % count);
            p /= count;
            if (dimension instanceof Values v) {
                indices[d] = i;
                values[d] = v.values().get(i);
            } else {
                indices[d] = -1;
                values[d] = (int) (((Distribution) dimension).low() + i);
            }
        }
        return new Point(List.of(values), indices);
    }

    /**
     * One searched setting.
     */
    sealed interface Dimension permits Values, Distribution {

        Setting setting();

        /** Where its problems are reported: {@code space.l2}, or {@code candidates} for the hidden layouts of that form. */
        String field();

        /** Its distinct values, or -1 for a real interval. */
        long count();
    }

    /**
     * Values to try, each checked against the setting's kind (numbers as the setting's type).
     *
     * @param setting the setting
     * @param field   where its problems go; a value's are at {@code field[i]}
     * @param values  distinct values
     * @param places  each value's place in the request's list (a bad value there is left out)
     */
    record Values(Setting setting, String field, List<Object> values, List<Integer> places) implements Dimension {

        Values {
            values = List.copyOf(values);
            places = List.copyOf(places);
        }

        /** Where the value at {@code index} of the list is reported. */
        String field(int index) {
            return field + "[" + places.get(index) + "]";
        }

        @Override
        public long count() {
            return values.size();
        }
    }

    /**
     * An interval to draw from: {@code log_uniform} (its log is uniform: learning rates, penalties),
     * {@code uniform}, or {@code int_uniform} (every whole number from low to high, both included).
     *
     * @param setting the setting
     * @param field   where its problems go
     * @param type    log_uniform, uniform or int_uniform
     * @param low     the lower end
     * @param high    the upper end, above low
     */
    record Distribution(Setting setting, String field, String type, double low, double high) implements Dimension {

        @Override
        public long count() {
            return type.equals("int_uniform") ? (long) high - (long) low + 1 : -1;
        }

        Object draw(Random random) {
            return switch (type) {
                case "log_uniform" -> Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
                case "uniform" -> low + random.nextDouble() * (high - low);
                default -> (int) (low + random.nextInt((int) (high - low) + 1));
            };
        }

        /** An end of the interval as the setting takes it: checked like a drawn value before anything is drawn. */
        Object end(boolean upper) {
            double v = upper ? high : low;
            return type.equals("int_uniform") ? (Object) (int) v : (Object) v;
        }
    }

    /**
     * One candidate's place in the space.
     *
     * @param values  its value of each dimension, in the space's order
     * @param indices for a list, the value's place in it; -1 for a drawn value
     */
    record Point(List<Object> values, int[] indices) {
    }

    // --- reading the request ---

    /**
     * The space as the request gives it ({@code space} and the {@code candidates} form's layouts),
     * with every problem noted by its field.
     */
    static SearchSpace read(List<List<Integer>> candidates, Map<String, Object> space, List<ApiError> errors) {
        List<Dimension> dimensions = new ArrayList<>();
        if (candidates != null && candidates.isEmpty()) {
            errors.add(new ApiError("candidates", "needs at least one hidden layout, for example [[5], [10], [20], [20, 20]]"));
        } else if (candidates != null) {
            Values layouts = values(Setting.ALL.get(Setting.HIDDEN), "candidates", candidates, errors);
            if (layouts != null) {
                dimensions.add(layouts);
            }
        }
        if (space != null) {
            space.forEach((path, given) -> {
                String field = "space." + path;
                Setting setting = Setting.ALL.get(path);
                if (setting == null) {
                    errors.add(new ApiError(field, "is not a setting a search can vary; the settings are " + Setting.paths()));
                } else if (setting.kind() == Kind.LAYOUT && candidates != null) {
                    errors.add(new ApiError(field, "give the hidden layouts once: in candidates or in space.hidden"));
                } else {
                    Dimension d = dimension(setting, field, given, errors);
                    if (d != null) {
                        dimensions.add(d);
                    }
                }
            });
        }
        return new SearchSpace(dimensions);
    }

    private static Dimension dimension(Setting setting, String field, Object given, List<ApiError> errors) {
        if (given instanceof List<?> list) {
            return values(setting, field, list, errors);
        }
        if (given instanceof Map<?, ?> map && map.size() == 1) {
            String type = String.valueOf(map.keySet().iterator().next());
            if (DISTRIBUTIONS.contains(type)) {
                return distribution(setting, field, type, map.values().iterator().next(), errors);
            }
            errors.add(new ApiError(field, "unknown distribution '" + type + "'; expected one of " + DISTRIBUTIONS));
            return null;
        }
        errors.add(new ApiError(field, "must be a list of values, such as [0.001, 0.01, 0.1], or one distribution, such as"
                + " {\"log_uniform\": [0.0001, 0.1]}"));
        return null;
    }

    /** The list's good values; a bad or repeated one is noted and left out, the rest still checked further. */
    private static Values values(Setting setting, String field, List<?> list, List<ApiError> errors) {
        if (list.isEmpty()) {
            errors.add(new ApiError(field, "needs at least one value"));
            return null;
        }
        List<Object> values = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            Object given = list.get(i);
            Object value = value(setting.kind(), given);
            if (value == null) {
                boolean none = given == null || given instanceof List<?> l && l.isEmpty();
                errors.add(new ApiError(at, setting.kind() != Kind.LAYOUT ? "must be " + expected(setting.kind()) + ", got " + given
                        : none ? "needs at least one hidden layer: units per layer, such as [20] or [20, 20]"
                        : "must be units per hidden layer (whole numbers), such as [20] or [20, 20], got " + given));
                continue;
            }
            int first = values.indexOf(value);
            if (first >= 0) {
                String other = field + "[" + places.get(first) + "]";
                errors.add(new ApiError(at, setting.kind() == Kind.LAYOUT ? "is the same layout as " + other + " " + value
                        : "is the same value as " + other + " (" + value + ")"));
                continue;
            }
            values.add(value);
            places.add(i);
        }
        return values.isEmpty() ? null : new Values(setting, field, values, places);
    }

    private static Distribution distribution(Setting setting, String field, String type, Object bounds, List<ApiError> errors) {
        if (setting.kind().categorical()) {
            errors.add(new ApiError(field, setting.path() + " is a categorical setting (" + expected(setting.kind())
                    + "): give a list of its values, not a " + type + " distribution"));
            return null;
        }
        if (type.equals("int_uniform") != (setting.kind() == Kind.INTEGER)) {
            errors.add(new ApiError(field, setting.kind() == Kind.INTEGER
                    ? setting.path() + " takes whole numbers: draw them with int_uniform, or give a list"
                    : setting.path() + " takes real numbers: draw them with uniform or log_uniform, or give a list"));
            return null;
        }
        if (!(bounds instanceof List<?> ends) || ends.size() != 2 || !(ends.get(0) instanceof Number)
                || !(ends.get(1) instanceof Number)) {
            errors.add(new ApiError(field, type + " needs [low, high], two numbers, such as {\"" + type + "\": "
                    + (type.equals("int_uniform") ? "[8, 64]" : "[0.0001, 0.1]") + "}"));
            return null;
        }
        double low = ((Number) ends.get(0)).doubleValue();
        double high = ((Number) ends.get(1)).doubleValue();
        int before = errors.size();
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            errors.add(new ApiError(field, "the ends must be finite numbers, got [" + low + ", " + high + "]"));
        } else if (!(low < high)) {
            errors.add(new ApiError(field, "low must be below high, got [" + ends.get(0) + ", " + ends.get(1) + "]"));
        }
        if (type.equals("log_uniform") && !(low > 0)) {
            errors.add(new ApiError(field, "log_uniform draws log(value): its low end must be > 0, got " + ends.get(0)));
        }
        if (type.equals("int_uniform") && (value(Kind.INTEGER, ends.get(0)) == null || value(Kind.INTEGER, ends.get(1)) == null)) {
            errors.add(new ApiError(field, "int_uniform needs whole-number ends, got [" + ends.get(0) + ", " + ends.get(1) + "]"));
        }
        return errors.size() > before ? null : new Distribution(setting, field, type, low, high);
    }

    /** A given value as the kind takes it (reals as Double, whole numbers as Integer), or null when it is not one. */
    private static Object value(Kind kind, Object given) {
        return switch (kind) {
            case REAL -> given instanceof Number n && Double.isFinite(n.doubleValue()) ? (Object) n.doubleValue() : null;
            case INTEGER -> given instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE ? (Object) n.intValue() : null;
            case BOOLEAN -> given instanceof Boolean ? given : null;
            case TEXT -> given instanceof String ? given : null;
            case LAYOUT -> layout(given);
        };
    }

    private static List<Integer> layout(Object given) {
        if (!(given instanceof List<?> units) || units.isEmpty()) {
            return null;
        }
        List<Integer> layout = new ArrayList<>();
        for (Object u : units) {
            Object v = value(Kind.INTEGER, u);
            if (v == null) {
                return null;
            }
            layout.add((Integer) v);
        }
        return List.copyOf(layout);
    }

    private static String expected(Kind kind) {
        return switch (kind) {
            case REAL -> "a number";
            case INTEGER -> "a whole number";
            case BOOLEAN -> "true or false";
            case TEXT -> "a name";
            case LAYOUT -> "a hidden layout";
        };
    }
}
