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
 */
public record Detection(boolean standing, String subject, String mitreId, String mitreName, String escalation) {}
