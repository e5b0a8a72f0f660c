package io.secrettrail.analytics.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An alert message as OCSF 1.8.0 Detection Findings (class 2004), what Security Lake, Splunk and Elastic
 * ingest: drawn from the generic payload ({@link Payloads}), like a {@link Slack} message. The finding's
 * {@code finding_info.uid} is stable per incident ({@code secrettrail:RULE:INCIDENT}) or per posture check
 * ({@code secrettrail:RULE:RESOURCE}), so the alarm, its escalations and its clear update one finding
 * downstream, and a message sent again updates the finding instead of adding one; {@code metadata.uid} names the
 * transition itself. An alarm is Create (status New), an escalation Update, a clear Close (status Resolved).
 * A digest is one finding per alert it holds. What OCSF has no attribute for goes under {@code unmapped}.
 */
final class Ocsf {
    /** The OCSF version the findings follow (the vendored schema the tests check them against). */
    static final String VERSION = "1.8.0";

    static final int CLASS_UID = 2004;
    static final int CATEGORY_UID = 2;
    static final String SECRET_TYPE = "AWS::SecretsManager::Secret";

    private static final List<String> SEVERITIES = List.of("informational", "low", "medium", "high", "critical");
    private static final Map<String, Rule> RULES =
            RuleCatalog.load().all().stream().collect(Collectors.toUnmodifiableMap(Rule::id, Function.identity()));
    private static final String PRODUCT_VERSION = productVersion();

    private Ocsf() {}

    /** The catalogue's rule of that id, or null (a test message names none). */
    static Rule rule(String id) {
        return RULES.get(id);
    }

    /** The findings of one message: one, or one per alert of a digest. */
    static List<ObjectNode> findings(JsonNode payload) {
        List<ObjectNode> out = new ArrayList<>();
        if (payload.path("transition").asText().equals("digest")) {
            payload.path("alerts").forEach(a -> out.add(finding(a)));
        } else {
            out.add(finding(payload));
        }
        return out;
    }

    /** The findings of one message as JSON lines, each ending with a newline. */
    static String lines(JsonNode payload) {
        StringBuilder b = new StringBuilder();
        for (ObjectNode f : findings(payload)) {
            b.append(f.toString()).append('\n');
        }
        return b.toString();
    }

    /** The stable id of the finding a message is about: the same for an alarm, its escalations and its clear. */
    static String findingUid(JsonNode p) {
        String rule = p.path("rule").asText();
        String incident = p.path("incident").asText("");
        if (!incident.isEmpty()) {
            return "secrettrail:" + rule + ":" + incident;
        }
        String principal = p.path("principal").asText("");
        String resource = p.path("resource").asText();
        return "secrettrail:" + rule + ":" + resource
                + (principal.isEmpty() || principal.equals(resource) ? "" : ":" + principal);
    }

    /** One alert message (alarm, escalation, ok, test) as one Detection Finding. */
    static ObjectNode finding(JsonNode p) {
        String transition = p.path("transition").asText();
        int activity = transition.equals("ok") ? 3 : transition.equals("escalation") ? 2 : 1;
        String rule = p.path("rule").asText();
        Rule r = RULES.get(rule);
        int severity = severityId(p.path("severity").asText(null));
        Instant occurred = instant(p.path("occurredAt").asText(null));
        Instant first = instant(
                p.path(p.hasNonNull("firstHit") ? "firstHit" : "firstSeen").asText(null));
        Instant last =
                instant(p.path(p.hasNonNull("lastHit") ? "lastHit" : "lastSeen").asText(null));

        ObjectNode f = Payloads.JSON.createObjectNode();
        f.put("activity_id", activity);
        f.put("activity_name", activity == 1 ? "Create" : activity == 2 ? "Update" : "Close");
        f.put("category_uid", CATEGORY_UID);
        f.put("category_name", "Findings");
        f.put("class_uid", CLASS_UID);
        f.put("class_name", "Detection Finding");
        f.put("type_uid", CLASS_UID * 100L + activity);
        f.put("type_name", "Detection Finding: " + f.get("activity_name").asText());
        f.put("severity_id", severity);
        f.put("severity", severityCaption(severity));
        f.put("status_id", activity == 3 ? 4 : 1);
        f.put("status", activity == 3 ? "Resolved" : "New");
        f.put("is_alert", activity != 3);
        f.put("time", (occurred == null ? Instant.EPOCH : occurred).toEpochMilli());
        if (first != null) {
            f.put("start_time", first.toEpochMilli());
        }
        if (last != null) {
            f.put("end_time", last.toEpochMilli());
        }
        putText(f, "message", p.path("reason").asText(null));

        ObjectNode meta = f.putObject("metadata");
        meta.put("version", VERSION);
        putText(meta, "uid", p.path("id").asText(null));
        meta.putArray("profiles").add("cloud");
        ObjectNode product = meta.putObject("product");
        product.put("name", "SecretTrail");
        product.put("vendor_name", "SecretTrail");
        product.put("version", PRODUCT_VERSION);

        ObjectNode info = f.putObject("finding_info");
        info.put("uid", findingUid(p));
        info.put("title", r != null ? r.title() : rule);
        putText(info, "desc", r != null ? r.description() : p.path("reason").asText(null));
        info.putArray("types").add("AWS Secrets Manager/" + rule);
        if (first != null) {
            info.put("first_seen_time", first.toEpochMilli());
        }
        if (last != null) {
            info.put("last_seen_time", last.toEpochMilli());
        }
        ObjectNode analytic = info.putObject("analytic");
        analytic.put("uid", rule);
        analytic.put("name", r != null ? r.title() : rule);
        analytic.put("type_id", 1);
        analytic.put("type", "Rule");

        String account = p.path("account").asText("");
        String region = p.path("region").asText("");
        ObjectNode cloud = f.putObject("cloud");
        cloud.put("provider", "AWS");
        if (!region.isEmpty()) {
            cloud.put("region", region);
        }
        if (!account.isEmpty()) {
            ObjectNode a = cloud.putObject("account");
            a.put("uid", account);
            a.put("type_id", 10);
            a.put("type", "AWS Account");
        }

        String resource = p.path("resource").asText("");
        if (!resource.isEmpty()) {
            ObjectNode res = f.putArray("resources").addObject();
            res.put("uid", resource);
            String type = resourceType(resource);
            if (type != null) {
                res.put("type", type);
            }
            if (!region.isEmpty()) {
                res.put("region", region);
            }
        }

        String runbook = p.path("runbook").asText(r != null ? r.runbook() : "");
        if (runbook != null && !runbook.isBlank()) {
            ObjectNode fix = f.putObject("remediation");
            fix.put("desc", runbook);
            if (r != null && r.reference() != null && !r.reference().isBlank()) {
                fix.putArray("references").add(r.reference());
            }
        }

        JsonNode evidence = p.path("evidence");
        if (evidence.isObject()) {
            ObjectNode e = f.putArray("evidences").addObject();
            e.put("name", "CloudTrail events");
            e.set("data", evidence.deepCopy());
        }

        ObjectNode unmapped = f.putObject("unmapped").putObject("secrettrail");
        unmapped.put("transition", transition);
        unmapped.put("rule", rule);
        for (String k : List.of("principal", "state", "hits", "mitre")) {
            if (p.hasNonNull(k) && !(p.get(k).isTextual() && p.get(k).asText().isEmpty())) {
                unmapped.set(k, p.get(k).deepCopy());
            }
        }
        return f;
    }

    /** The CloudFormation type of a secret's or an IAM principal's ARN, null for anything else. */
    static String resourceType(String arn) {
        if (arn.startsWith("arn:aws:secretsmanager:")) {
            return SECRET_TYPE;
        }
        if (arn.startsWith("arn:aws:iam::")) {
            String kind = arn.substring(arn.indexOf(':', "arn:aws:iam::".length()) + 1);
            return kind.startsWith("role/") ? "AWS::IAM::Role" : kind.startsWith("user/") ? "AWS::IAM::User" : null;
        }
        return null;
    }

    /** low 2, medium 3, high 4, critical 5 (OCSF's severity_id); 0 Unknown for anything else. */
    static int severityId(String severity) {
        int i = severity == null ? -1 : SEVERITIES.indexOf(severity);
        return i < 0 ? 0 : i + 1;
    }

    private static String severityCaption(int id) {
        return id == 0
                ? "Unknown"
                : switch (id) {
                    case 1 -> "Informational";
                    case 2 -> "Low";
                    case 3 -> "Medium";
                    case 4 -> "High";
                    default -> "Critical";
                };
    }

    private static void putText(ObjectNode o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(key, value);
        }
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String productVersion() {
        String v = Ocsf.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
