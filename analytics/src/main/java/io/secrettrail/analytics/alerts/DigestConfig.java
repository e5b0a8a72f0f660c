package io.secrettrail.analytics.alerts;

import io.secrettrail.analytics.schedule.Cron;
import java.time.ZoneId;
import java.util.Set;

/**
 * One scheduled digest ({@code digest.NAME.*}): per team, what its secrets cost this month against last, the
 * biggest movers, the open incidents, the new posture failures and the top savings, sent to one webhook once per
 * period of its cron.
 *
 * @param cron when each period begins ({@code digest.NAME.cron}, an AWS six-field cron; required)
 * @param zone the zone the cron's fields are local times of ({@code digest.NAME.zone}, default UTC)
 * @param teams the teams it reports on, one message each ({@code digest.NAME.teams}, within the webhook's
 *     {@code webhook.NAME.teams} when it has them, which are then the default); empty: every team that owns
 *     a secret, and {@code unowned}
 * @param webhook the webhook it goes to ({@code digest.NAME.webhook}, default the webhook named NAME)
 */
public record DigestConfig(String name, Cron cron, ZoneId zone, Set<String> teams, String webhook) {
    static final Set<String> KEYS = Set.of("cron", "zone", "teams", "webhook");
}
