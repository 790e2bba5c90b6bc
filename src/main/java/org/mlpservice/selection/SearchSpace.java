package org.mlpservice.selection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Where a search looks: for each searched setting a list of values or a distribution to draw
 * from, in the request's order. A grid takes the whole product of the lists (the first setting
 * varies slowest, as the request reads); a random draw takes n points, seeded: same seed, same
 * points, and never the same point twice.
 */
final class SearchSpace {

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
}
