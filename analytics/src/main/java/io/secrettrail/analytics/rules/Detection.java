package io.secrettrail.analytics.rules;

/**
 * How a rule's alarms become incidents, from the {@code detection} or {@code standing} block of its json.
 *
 * @param standing true for a rule about a standing state (a public policy): its incident opens when the
 *                 state begins and closes when it ends; false for a detection, whose query returns hits
 *                 grouped into incidents by quiet time (sql/rules/incidents.sql)
 * @param subject what one incident is about, in words (the principal, the secret, ...)
 * @param mitreId the MITRE ATT&CK technique, e.g. T1555.006
 * @param mitreName its name
 * @param escalation the rule's severity tiers, in words; empty when it has none
 * @param windowMinutes a detection's fixed window (how far before a hit the events deciding it lie) when no
 *                 {@code *_window_minutes} / {@code *_window_hours} parameter sets it; null when it has none
 *                 (its hits may depend on all history: an incremental evaluation reads every event)
 * @param allHistory whether its incidents depend on all history whatever its window ({@code "allHistory": true}:
 *                 name-probing counts every name a principal ever probed): evaluated from scratch each time
 * @param episodePerPeriod whether a standing alarm whose incident begins again later is a new alert episode (the old
 *                 one cleared, the new one alarmed): {@code "episodes": "per-period"} in the standing block, for a
 *                 state judged per period (the budget's month). Otherwise ({@code "one"}, the default) an alarm keeps
 *                 its one episode while it stands, whatever its incident's start (a public policy put again)
 */
public record Detection(
        boolean standing,
        String subject,
        String mitreId,
        String mitreName,
        String escalation,
        Integer windowMinutes,
        boolean allHistory,
        boolean episodePerPeriod) {

    public Detection(boolean standing, String subject, String mitreId, String mitreName, String escalation) {
        this(standing, subject, mitreId, mitreName, escalation, null, false, false);
    }
}
