package io.secrettrail.web;

import io.secrettrail.core.Money;
import java.math.BigDecimal;

/**
 * Dollars on the pages and in the dashboard's CSV, as {@link Money#display} writes them (four decimals under
 * $1, two from $1 up, exact decimals), with the sign of currency and null kept as null (written as nothing).
 */
final class Usd {
    private Usd() {}

    /** The amount without a sign of currency ("0.0031", "12.50"); null stays null. */
    static String amount(BigDecimal usd) {
        return usd == null ? null : Money.display(usd);
    }

    /** The same from the plain decimal text the dashboard's records carry; null stays null. */
    static String amount(String usd) {
        return usd == null ? null : amount(new BigDecimal(usd));
    }

    /** "$0.0031", "$12.50", "-$0.4000"; null stays null. */
    static String text(BigDecimal usd) {
        String a = amount(usd);
        return a == null ? null : a.startsWith("-") ? "-$" + a.substring(1) : "$" + a;
    }

    /** The full-precision figure when there is one, else the v1 one (to the cent); null when neither. */
    static String text(String exact, String v1) {
        return text(exact != null ? exact : v1);
    }

    /** {@link #amount(String)} of the full-precision figure when there is one, else of the v1 one. */
    static String amount(String exact, String v1) {
        return amount(exact != null ? exact : v1);
    }

    /** {@link #text(BigDecimal)} from plain decimal text; null stays null. */
    static String text(String usd) {
        return usd == null ? null : text(new BigDecimal(usd));
    }
}
