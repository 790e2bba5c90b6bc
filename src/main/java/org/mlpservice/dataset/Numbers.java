package org.mlpservice.dataset;

/**
 * Strict reading of CSV numbers. {@link Float#parseFloat} alone also accepts {@code NaN},
 * {@code Infinity}, hexadecimal and {@code 1f}/{@code 1d} suffixes, none of which a CSV means as a
 * number; here only decimal notation counts: optional sign, digits with an optional point,
 * optional exponent ({@code -1.5}, {@code .5}, {@code 3.}, {@code 1e-3}).
 */
final class Numbers {

    private Numbers() {
    }

    /** The value as float32, or NaN when the text is not a decimal number or is out of float range. */
    static float parse(String s) {
        if (!isDecimal(s)) {
            return Float.NaN;
        }
        float v = Float.parseFloat(s);
        return Float.isFinite(v) ? v : Float.NaN;
    }

    static boolean isDecimal(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
