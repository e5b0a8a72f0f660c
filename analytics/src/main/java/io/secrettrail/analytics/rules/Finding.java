package io.secrettrail.analytics.rules;

import java.time.Instant;

/**
 * What a rule says of one resource; every rule returns these same columns.
 *
 * @param status ok, alarm or skip
 * @param reason a sentence that carries the number it was decided on
 */
public record Finding(String rule, String severity, String resource, String status, String reason,
                      String account, String region, Instant firstSeen, Instant lastSeen) {

    public boolean alarm() {
        return "alarm".equals(status);
    }
}
