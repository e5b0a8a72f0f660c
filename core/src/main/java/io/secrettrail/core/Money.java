package io.secrettrail.core;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How amounts of money are written, in one place for the report, the CSV files and the pages (issue 15):
 * JSON keeps the exact decimal; people see two decimals, or four under a dollar, so that a principal
 * costing $0.0031 does not read as $0.00.
 */
public final class Money {
    private static final BigDecimal ONE = BigDecimal.ONE;

    /**
     * Decimal places kept in JSON's full-precision fields: a prorated hour is a repeating fraction (0.40 x 492 /
     * 720), which no decimal holds exactly, so the model's 20 significant digits are written to 1e-10 dollars —
     * 50,000 times finer than one API call ($0.000005) — and three 0.27333... read 0.82, not 0.81999999999999999999.
     */
    public static final int JSON_SCALE = 10;

    private Money() {}

    /**
     * For JSON: to {@link #JSON_SCALE} places, half even, plain notation without trailing zeros: 0.0183, 12, 0
     * (never 1.2E+1 nor 0E-10).
     */
    public static String json(BigDecimal usd) {
        BigDecimal v = usd.setScale(JSON_SCALE, RoundingMode.HALF_EVEN);
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    /**
     * For display (pages, CSV): four decimals when the amount is under $1 in absolute value, two otherwise,
     * rounded half up. 0.00314 -> "0.0031", 0.99996 -> "1.0000", 12.345 -> "12.35", -0.5 -> "-0.5000".
     */
    public static String display(BigDecimal usd) {
        int scale = usd.abs().compareTo(ONE) < 0 ? 4 : 2;
        return usd.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }
}
