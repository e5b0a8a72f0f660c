package io.secrettrail.analytics.dashboard;

import io.secrettrail.core.secret.SecretArn;
import java.time.LocalDate;

/** Filters every page takes: a range of UTC days (inclusive; null for open) and an account and region. */
public record Filters(LocalDate from, LocalDate to, String account, String region) {
    public static final Filters ALL = new Filters(null, null, null, null);

    /** Whether a secret's ARN is in this account and region (always, when neither is set). */
    boolean accepts(String arn) {
        if (account == null && region == null) {
            return true;
        }
        var a = SecretArn.parse(arn);
        return a.isPresent()
                && (account == null || account.equals(a.get().account()))
                && (region == null || region.equals(a.get().region()));
    }
}
