package org.mlpservice.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.mlpservice.dataset.LabelEncoder;
import org.mlpservice.dataset.SyntheticData;

/** The CSV data sets under {@code src/test/resources/data}, read into {@link Examples}. */
final class TestData {

    /** A labelled data set: examples with encoded targets, the encoder, and the raw labels. */
    record Labelled(Examples examples, LabelEncoder encoder, String[] labels) {
    }

    /** Two disjoint parts of a data set. */
    record Split(Examples train, Examples test) {
    }

    private TestData() {
    }

    /** 150 flowers: 4 measurements, species setosa, versicolor or virginica. */
    static Labelled iris() {
        return classification("/data/iris.csv");
    }

    /** 1 797 8x8 digits: 64 pixel intensities 0..16, digit 0..9. */
    static Labelled digits() {
        return classification("/data/digits.csv");
    }

    /** A CSV with a header, numeric feature columns and the class label in the last column. */
    static Labelled classification(String resource) {
        List<String[]> rows = read(resource);
        int features = rows.get(0).length - 1;
        float[] x = new float[rows.size() * features];
        String[] labels = new String[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            if (cells.length != features + 1) {
                throw new IllegalStateException(resource + " row " + (r + 2) + " has " + cells.length + " cells");
            }
            for (int c = 0; c < features; c++) {
                x[r * features + c] = Float.parseFloat(cells[c]);
            }
            labels[r] = cells[features];
        }
        LabelEncoder encoder = LabelEncoder.fit(labels);
        Examples examples = new Examples(x, encoder.encode(labels), rows.size(), features, encoder.outputs());
        return new Labelled(examples, encoder, labels);
    }

    /** A seeded random split: {@code testFraction} of the rows (rounded) go to the test part. */
    static Split split(Examples data, double testFraction, long seed) {
        int[] order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int test = (int) Math.round(data.rows() * testFraction);
        int train = data.rows() - test;
        return new Split(data.select(Arrays.copyOfRange(order, 0, train)),
                data.select(Arrays.copyOfRange(order, train, order.length)));
    }

    /** A one-column binary classification set from a generator. */
    static Examples binary(SyntheticData d) {
        return new Examples(d.x(), d.target(), d.rows(), d.features(), 1);
    }

    private static List<String[]> read(String resource) {
        InputStream in = TestData.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("no test resource " + resource);
        }
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    String[] cells = line.split(",");
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = cells[i].strip();
                    }
                    rows.add(cells);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Every parameter value of {@code network}, layer by layer, in one array: for bit-for-bit comparisons. */
    static float[] weights(Network network) {
        float[] all = new float[(int) network.parameterCount()];
        int at = 0;
        for (Parameter p : network.parameters()) {
            System.arraycopy(p.value().data, 0, all, at, p.size());
            at += p.size();
        }
        return all;
    }
}
