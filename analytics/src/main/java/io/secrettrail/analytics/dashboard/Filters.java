package io.secrettrail.analytics.dashboard;

import io.secrettrail.analytics.snapshot.Ownership;
import io.secrettrail.core.secret.SecretArn;
import java.time.LocalDate;

/**
 * Filters every page takes: a range of UTC days (inclusive; null for open), an account and region, and a team (the
 * report's team of a secret, see {@link Ownership}; {@code unowned} is one; null for any).
 */
public record Filters(LocalDate from, LocalDate to, String account, String region, String team) {
    public static final Filters ALL = new Filters(null, null, null, null, null);

    /** Filters of any team. */
    public Filters(LocalDate from, LocalDate to, String account, String region) {
        this(from, to, account, region, null);
    }

    /**
     * A team name given as a filter ({@code team=}), checked: null stays null.
     *
     * @throws IllegalArgumentException naming {@code team} when it is no team name
     */
    public static String team(String value) {
        return value == null ? null : Ownership.teamName("team", value);
    }

    /** These filters narrowed to {@code team} (null: any team). */
    public Filters forTeam(String team) {
        return new Filters(from, to, account, region, team);
    }

    /** Whether a secret of team {@code team} (null: no secret of the report) passes the team filter. */
    boolean acceptsTeam(String secretTeam) {
        return team == null || team.equals(secretTeam);
    }

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
