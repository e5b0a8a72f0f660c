package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.rules.Rule;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An alert message as an AWS Security Finding Format (ASFF) finding, what Security Hub's
 * {@code BatchImportFindings} takes: drawn from the generic payload ({@link Payloads}), like an
 * {@link Ocsf} finding, and with the same stable id ({@link Ocsf#findingUid}): one finding per incident
 * or per posture check, so the alarm, its escalations and its clear update one finding in Security Hub
 * and a message imported again updates the finding instead of adding a second one. An alarm or escalation is
 * {@code RecordState ACTIVE} with {@code Workflow NEW}; a clear (an incident closing, a posture check
 * passing again) is {@code ARCHIVED}, which Security Hub resolves. A posture rule (one without
 * incidents) also carries {@code Compliance.Status} FAILED or PASSED.
 *
 * <p>Security Hub keeps an import only when its {@code UpdatedAt} is later than the finding's, so a late retry of an
 * older transition cannot undo a newer one: {@code UpdatedAt} is the transition's time.
 *
 * <p>Shapes: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html
 * (required attributes, their lengths) and the API reference of {@code BatchImportFindings}.
 */
final class Asff {
    static final String SCHEMA_VERSION = "2018-10-08";
    static final String SECRET_TYPE = "AwsSecretsManagerSecret";
    /** What Security Hub takes at most, in characters (ASFF syntax page). */
    static final int MAX_TITLE = 256;

    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_REMEDIATION = 512;
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private Asff() {}

    /** The account a message's finding belongs to (and must be imported by), or null when it names none. */
    static String account(JsonNode p) {
        String a = p.path("account").asText("");
        return ACCOUNT.matcher(a).matches() ? a : null;
    }

    /** A custom integration's own product: {@code arn:PARTITION:securityhub:REGION:ACCOUNT:product/ACCOUNT/default}. */
    static String productArn(String region, String account) {
        return "arn:" + partition(region) + ":securityhub:" + region + ":" + account + ":product/" + account
                + "/default";
    }

    /** low, medium, high, critical as ASFF's Severity.Label; anything else INFORMATIONAL. */
    static String severityLabel(String severity) {
        return severity != null && WebhookConfig.SEVERITIES.contains(severity)
                ? severity.toUpperCase(Locale.ROOT)
                : "INFORMATIONAL";
    }

    /**
     * One alert message (alarm, escalation, ok) as one finding.
     *
     * @param region the region Security Hub is called in (the ProductArn names it)
     * @throws IllegalArgumentException when the message names no account (nobody could import it)
     */
    static ObjectNode finding(JsonNode p, String region) {
        String account = account(p);
        if (account == null) {
            throw new IllegalArgumentException("the alert names no AWS account ("
                    + Sender.clean(p.path("account").asText(""), 40) + "): Security Hub needs one");
        }
        String ruleId = p.path("rule").asText();
        Rule rule = Ocsf.rule(ruleId);
        boolean posture = rule != null && rule.detection() == null;
        boolean archived = p.path("transition").asText().equals("ok");
        String occurred = p.path("occurredAt").asText();
        String first = text(p, "firstHit", text(p, "firstSeen", occurred));
        String last = text(p, "lastHit", text(p, "lastSeen", occurred));

        ObjectNode f = Payloads.JSON.createObjectNode();
        f.put("SchemaVersion", SCHEMA_VERSION);
        f.put("Id", Ocsf.findingUid(p));
        f.put("ProductArn", productArn(region, account));
        f.put("ProductName", "SecretTrail");
        f.put("CompanyName", "SecretTrail");
        f.put("GeneratorId", "secrettrail/" + ruleId);
        f.put("AwsAccountId", account);
        f.putArray("Types")
                .add(
                        posture
                                ? "Software and Configuration Checks/AWS Security Best Practices/" + ruleId
                                : "Unusual Behaviors/User/" + ruleId);
        // CreatedAt is when the problem was first seen, the same on every import of the finding;
        // UpdatedAt moves with each transition, so Security Hub takes the later import as the update
        f.put("CreatedAt", first);
        f.put("UpdatedAt", occurred);
        f.put("FirstObservedAt", first);
        f.put("LastObservedAt", last);
        ObjectNode severity = f.putObject("Severity");
        severity.put("Label", severityLabel(p.path("severity").asText(null)));
        severity.put("Original", p.path("severity").asText("unknown"));
        // Security Hub takes a provider's later severity and types from FindingProviderFields, not the top level
        ObjectNode provider = f.putObject("FindingProviderFields");
        provider.set("Severity", severity.deepCopy());
        provider.set("Types", f.get("Types").deepCopy());
        f.put("Title", cut(rule != null ? rule.title() : ruleId, MAX_TITLE));
        f.put("Description", cut(description(p, rule), MAX_DESCRIPTION));
        // the incident's own runbook when it carries one (as in OCSF's remediation), else the rule's
        String runbook = p.path("runbook").asText(rule != null && rule.runbook() != null ? rule.runbook() : "");
        if (!runbook.isBlank()) {
            ObjectNode rec = f.putObject("Remediation").putObject("Recommendation");
            rec.put("Text", cut(runbook, MAX_REMEDIATION));
            if (rule.reference() != null && rule.reference().startsWith("https://")) {
                rec.put("Url", rule.reference());
            }
        }
        String resource = p.path("resource").asText("");
        String resourceRegion = text(p, "region", region);
        ObjectNode res = f.putArray("Resources").addObject();
        res.put("Type", resource.contains(":secretsmanager:") ? SECRET_TYPE : "Other");
        res.put("Id", resource.isEmpty() ? "secrettrail:" + ruleId : resource);
        res.put("Partition", partition(resourceRegion));
        res.put("Region", resourceRegion);
        if (posture) {
            f.putObject("Compliance").put("Status", archived ? "PASSED" : "FAILED");
        }
        f.put("RecordState", archived ? "ARCHIVED" : "ACTIVE");
        if (!archived) {
            // only on an active finding: Security Hub sets RESOLVED itself when a finding is archived or passes
            f.putObject("Workflow").put("Status", "NEW");
        }
        ObjectNode fields = f.putObject("ProductFields");
        fields.put("secrettrail/rule", ruleId);
        fields.put("secrettrail/transition", p.path("transition").asText());
        fields.put("secrettrail/message", p.path("id").asText());
        if (p.hasNonNull("incident")) {
            fields.put("secrettrail/incident", p.path("incident").asText());
        }
        return f;
    }

    private static String description(JsonNode p, Rule rule) {
        String reason = p.path("reason").asText("");
        if (!reason.isEmpty()) {
            return reason;
        }
        return rule != null && rule.description() != null
                ? rule.description()
                : p.path("rule").asText();
    }

    private static String text(JsonNode p, String field, String otherwise) {
        String v = p.path(field).asText("");
        return v.isEmpty() ? otherwise : v;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static String partition(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }
}
