package org.mlpservice.dataset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hashing trick for a categorical feature with more levels than {@code mlp.limits.levels}
 * (upload parameter {@code highCardinality=hash}): each text goes to one of {@code buckets} one-hot
 * inputs, bucket = FNV-1a (32 bit) of the text's UTF-8 bytes, taken unsigned, modulo the bucket
 * count. The hash is fixed by this definition, not by the JVM, so a dataset, a model trained on it
 * and a client predicting by column name all agree, in any language:
 * {@code h = 0x811C9DC5; for b in text.encode("utf-8"): h = ((h ^ b) * 0x01000193) % 2**32; bucket = h % buckets}.
 *
 * <p>Different texts may share a bucket; the network then cannot tell them apart, the price of
 * bounded memory. The original texts are not kept: the dataset knows the buckets only.
 */
final class FeatureHashing {

    private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private FeatureHashing() {
    }

    /** The bucket of {@code text}, in 0..buckets-1. */
    static int bucket(String text, int buckets) {
        int h = FNV_OFFSET_BASIS;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return Integer.remainderUnsigned(h, buckets);
    }

    /**
     * The names of the buckets in one-hot order, {@code #0} to {@code #(buckets-1)}: they stand in a
     * hashed column's levels, so inputs are named {@code city=#17} and previews show the bucket.
     */
    static List<String> bucketNames(int buckets) {
        List<String> names = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            names.add("#" + b);
        }
        return names;
    }
}
