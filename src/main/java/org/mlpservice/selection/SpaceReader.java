package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlpservice.selection.Setting.Kind;
import org.mlpservice.web.ApiError;

/**
 * Reads a request's {@code space} (and the {@code candidates} form's layouts) into a
 * {@link SearchSpace}: each path looked up in {@link Setting#ALL}, each list's values checked
 * against the setting's kind, each distribution's ends against its type; every problem noted by
 * its field ({@code space.l2}, {@code space.l1[1]}, {@code candidates[2]}), the rest still read.
 */
final class SpaceReader {

    static final List<String> DISTRIBUTIONS = List.of("log_uniform", "uniform", "int_uniform");

    private SpaceReader() {
    }

    /**
     * The space as the request gives it ({@code space} and the {@code candidates} form's layouts),
     * with every problem noted by its field.
     */
    static SearchSpace read(List<List<Integer>> candidates, Map<String, Object> space, List<ApiError> errors) {
        List<SearchSpace.Dimension> dimensions = new ArrayList<>();
        if (candidates != null && candidates.isEmpty()) {
            errors.add(new ApiError("candidates", "needs at least one hidden layout, for example [[5], [10], [20], [20, 20]]"));
        } else if (candidates != null) {
            SearchSpace.Values layouts = values(Setting.ALL.get(Setting.HIDDEN), "candidates", candidates, errors);
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
                    SearchSpace.Dimension d = dimension(setting, field, given, errors);
                    if (d != null) {
                        dimensions.add(d);
                    }
                }
            });
        }
        return new SearchSpace(dimensions);
    }

    private static SearchSpace.Dimension dimension(Setting setting, String field, Object given, List<ApiError> errors) {
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
    private static SearchSpace.Values values(Setting setting, String field, List<?> list, List<ApiError> errors) {
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
        return values.isEmpty() ? null : new SearchSpace.Values(setting, field, values, places);
    }

    private static SearchSpace.Distribution distribution(Setting setting, String field, String type, Object bounds, List<ApiError> errors) {
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
        return errors.size() > before ? null : new SearchSpace.Distribution(setting, field, type, low, high);
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
