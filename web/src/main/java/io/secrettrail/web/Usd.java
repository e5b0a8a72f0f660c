package io.secrettrail.web;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Dollars as the pages and the dashboard's CSV show them: four decimals under $1 (a principal costing
 * $0.0031 is not "$0.00"), two from $1 up; exact decimals, half-up, never through a double.
 */
final class Usd {
    private static final BigDecimal ONE = BigDecimal.ONE;

    private Usd() {}

    /** The amount without a sign of currency ("0.0031", "12.50"); null stays null. */
    static String amount(BigDecimal usd) {
        if (usd == null) {
            return null;
        }
        int scale = usd.abs().compareTo(ONE) < 0 ? 4 : 2;
        BigDecimal r = usd.setScale(scale, RoundingMode.HALF_UP);
        // a value just under $1 that rounds up to 1.0000 is shown like the dollar it rounds to
        if (scale == 4 && r.abs().compareTo(ONE) >= 0) {
            r = r.setScale(2, RoundingMode.HALF_UP);
        }
        return r.toPlainString();
    }

    /** The same from the plain decimal text the dashboard's records carry; null stays null. */
    static String amount(String usd) {
        return usd == null ? null : amount(new BigDecimal(usd));
    }

    /** "$0.0031", "$12.50", "-$0.40"; null stays null. */
    static String text(BigDecimal usd) {
        String a = amount(usd);
        return a == null ? null : a.startsWith("-") ? "-$" + a.substring(1) : "$" + a;
    }

    /** {@link #text(BigDecimal)} from plain decimal text; null stays null. */
    static String text(String usd) {
        return usd == null ? null : text(new BigDecimal(usd));
    }
}
