package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: each exported Sigma rule, run by a small evaluator over the same CloudTrail records as SecretTrail's
 * own rule (the public samples in core's test resources, with their SOURCE notes, and records shaped like them),
 * flags exactly the records the rule flags when it is exact, and differs only as its form says when it is an
 * approximation.
 */
class SigmaEquivalenceTest extends RuleTestBase {
    static final Path SAMPLES = DetectionSamplesTest.SAMPLES;
    static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    static final SigmaExport EXPORT = SigmaExport.of(RuleCatalog.load());
    static final String MARKED = DeletedSecretAccessRuleTest.MARKED;
    static final String OTHER = RuleFixture.arn("us-east-1", "prod/other");
    static final String FORCE = "{\"secretId\":\"%s\",\"forceDeleteWithoutRecovery\":true}";

    @TempDir
    Path dir;

    /** Every public sample (Secrets Manager, CloudTrail's own, KMS, and 284 records of other services), one a line. */
    static List<String> samples() throws Exception {
        List<String> out = new ArrayList<>();
        for (String f : List.of(
                "stratus-red-team/events.ndjson",
                "stratus-red-team/all_other_events.ndjson",
                "awsdocs-aws-secrets-manager-docs/events.ndjson",
                "awsdocs-aws-secrets-manager-docs/kms_related_events.ndjson")) {
            Files.readAllLines(SAMPLES.resolve(f)).stream()
                    .filter(l -> !l.isBlank())
                    .forEach(out::add);
        }
        JSON.readTree(SAMPLES.resolve("awsdocs-cloudtrail-user-guide/update-trail-denied.json")
                        .toFile())
                .get("Records")
                .forEach(r -> out.add(r.toString()));
        return out;
    }

    /** Records shaped like Stratus Red Team's, for the cases the samples lack, each with its near miss. */
    List<String> shaped() throws Exception {
        Instant t = daysAgo(1);
        return List.of(
                // deleted-secret-access: refused as marked for deletion, in any case; other refusals are not
                fx.call("GetSecretValue", t)
                        .by("legacy")
                        .secret(DB)
                        .error("InvalidRequestException", MARKED)
                        .json(),
                fx.call("DescribeSecret", t.plusSeconds(5))
                        .by("legacy")
                        .secret(OTHER)
                        .error("InvalidRequestException", MARKED.toUpperCase(java.util.Locale.ROOT))
                        .json(),
                fx.call("GetSecretValue", t.plusSeconds(9))
                        .by("legacy")
                        .secret(DB)
                        .error(
                                "AccessDeniedException",
                                "User is not authorized to perform: secretsmanager:GetSecretValue")
                        .json(),
                fx.call("GetSecretValue", t.plusSeconds(12))
                        .by("legacy")
                        .secret(DB)
                        .error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
                        .json(),
                // secret-deleted: a forced deletion that succeeded; one denied; one with a recovery window, restored
                fx.call("DeleteSecret", t.plusSeconds(60))
                        .by("admin")
                        .secret(DB)
                        .params(FORCE.formatted(DB))
                        .json(),
                fx.call("DeleteSecret", t.plusSeconds(61))
                        .by("intruder")
                        .secret(OTHER)
                        .params(FORCE.formatted(OTHER))
                        .error("AccessDeniedException", "not authorized")
                        .json(),
                fx.call("DeleteSecret", t.plusSeconds(62))
                        .by("admin")
                        .params("{\"secretId\":\"" + OTHER + "\",\"recoveryWindowInDays\":7}")
                        .json(),
                fx.call("RestoreSecret", t.plusSeconds(63))
                        .by("admin")
                        .secret(OTHER)
                        .json(),
                fx.call("DeleteSecret", t.plusSeconds(64))
                        .by("admin")
                        .params("{\"secretId\":\"" + RuleFixture.arn("us-east-1", "prod/third")
                                + "\",\"forceDeleteWithoutRecovery\":false}")
                        .json(),
                // logging-stopped: a denied StopLogging on a made-up trail, a successful one; StartLogging is not a hit
                fx.trailCall("StopLogging", "intruder", "made-up", t.plusSeconds(120), "AccessDenied"),
                fx.trailCall("StopLogging", "admin", "main", t.plusSeconds(121), null),
                fx.trailCall("StartLogging", "admin", "main", t.plusSeconds(122), null),
                fx.trailCall("GetTrailStatus", "admin", "main", t.plusSeconds(123), null));
    }

    /** Loads the records through the real reader into the fixture's store. */
    List<JsonNode> load(List<String> records) throws Exception {
        Path file = dir.resolve("records-" + System.nanoTime() + ".ndjson");
        Files.writeString(file, String.join("\n", records) + "\n", StandardCharsets.UTF_8);
        assertThat(fx.load(file)).isEmpty();
        List<JsonNode> out = new ArrayList<>();
        for (String r : records) {
            out.add(JSON.readTree(r));
        }
        return out;
    }

    static SigmaExport.Form form(String rule) {
        return EXPORT.forms().stream()
                .filter(f -> f.rule().id().equals(rule))
                .findFirst()
                .orElseThrow();
    }

    /** The eventIDs of the records the rule's Sigma form matches. */
    static Set<String> sigma(String rule, List<JsonNode> records) {
        SigmaMatcher m = new SigmaMatcher(form(rule).document().get("detection"));
        return records.stream()
                .filter(m::matches)
                .map(r -> r.path("eventID").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The eventIDs SecretTrail's rule cites in the alarms its form covers, each alarm citing all its events. */
    Set<String> ours(String rule, Predicate<Finding> covered) throws Exception {
        Set<String> out = new TreeSet<>();
        for (Finding f : fx.run(rule, AS_OF, Map.of())) {
            if (f.alarm() && covered.test(f)) {
                assertThat(f.evidence().eventIds()).as("no sample cut").hasSize((int)
                        f.evidence().events());
                out.addAll(f.evidence().eventIds());
            }
        }
        return out;
    }

    @Test
    void each_exact_form_flags_exactly_the_records_its_rule_flags() throws Exception {
        List<String> records = new ArrayList<>(samples());
        records.addAll(shaped());
        List<JsonNode> all = load(records);
        Map<String, Predicate<Finding>> covered = Map.of(
                "deleted-secret-access", f -> true,
                "logging-stopped", f -> true,
                // the form covers the rule's high findings, the forced deletions
                "secret-deleted", f -> f.severity().equals("high"));
        Map<String, Integer> expected = Map.of("deleted-secret-access", 2, "logging-stopped", 6, "secret-deleted", 1);
        List<SigmaExport.Form> exact = EXPORT.forms().stream()
                .filter(f -> f.fidelity() == SigmaExport.Fidelity.EXACT)
                .toList();
        assertThat(exact).extracting(f -> f.rule().id()).containsExactlyInAnyOrderElementsOf(covered.keySet());
        for (SigmaExport.Form f : exact) {
            String rule = f.rule().id();
            Set<String> ours = ours(rule, covered.get(rule));
            assertThat(sigma(rule, all)).as(rule).isEqualTo(ours).hasSize(expected.get(rule));
        }
    }

    @Test
    void the_forced_deletion_form_leaves_out_the_recovery_window_findings_as_it_says() throws Exception {
        List<JsonNode> all = load(shaped());
        // the low finding on the third secret (a recovery window, never restored) is SecretTrail's only
        assertThat(fx.run("secret-deleted", AS_OF, Map.of()))
                .filteredOn(Finding::alarm)
                .extracting(Finding::resource, Finding::severity)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(DB, "high"),
                        org.assertj.core.groups.Tuple.tuple(RuleFixture.arn("us-east-1", "prod/third"), "low"));
        assertThat(sigma("secret-deleted", all))
                .isEqualTo(ours("secret-deleted", f -> f.severity().equals("high")));
        assertThat(form("secret-deleted").note()).contains("Not covered: a deletion with a recovery window");
    }

    @Test
    void the_catch_all_approximation_differs_only_as_documented() throws Exception {
        Instant t = daysAgo(1);
        String catchAll = "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!tagKeyThatWillNeverExist\"]}]}";
        String mixed = "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!tagKeyThatWillNeverExist\"]},"
                + "{\"key\":\"tag-key\",\"values\":[\"tagThatExists\"]}]}";
        List<String> records = new ArrayList<>(Files.readAllLines(SAMPLES.resolve("stratus-red-team/events.ndjson")));
        records.add(
                fx.call("BatchGetSecretValue", t).by("sweeper").params(catchAll).json());
        records.add(fx.call("BatchGetSecretValue", t).by("mixed").params(mixed).json());
        records.add(fx.call("BatchGetSecretValue", t.plusSeconds(1))
                .by("lister")
                .params("{\"secretIdList\":[\"" + DB + "\"]}")
                .json());
        List<JsonNode> all = load(records);
        Set<String> sigma = sigma("batch-retrieval", all);
        Set<String> ours = ours("batch-retrieval", f -> true);
        Set<String> stratus = ids(all, "arn:aws:iam::165109126369:user/christophe");
        assertThat(stratus).hasSize(5);
        // both: the single catch-all call
        Set<String> both = new TreeSet<>(sigma);
        both.retainAll(ours);
        assertThat(both).isEqualTo(ids(all, RuleFixture.role("sweeper")));
        // Sigma only: a negated value in one filter of two (SecretTrail needs one in every filter)
        Set<String> sigmaOnly = new TreeSet<>(sigma);
        sigmaOnly.removeAll(ours);
        assertThat(sigmaOnly).isEqualTo(ids(all, RuleFixture.role("mixed")));
        // SecretTrail only: Stratus's five plain-filter calls within a second, its threshold
        Set<String> oursOnly = new TreeSet<>(ours);
        oursOnly.removeAll(sigma);
        assertThat(oursOnly).isEqualTo(stratus);
        assertThat(form("batch-retrieval").note())
                .contains("negated value in every filter")
                .contains("threshold of batch.calls");
    }

    @Test
    void the_rotation_failure_approximation_also_flags_a_failure_a_later_rotation_fixed() throws Exception {
        String docs = Files.readAllLines(SAMPLES.resolve("awsdocs-aws-secrets-manager-docs/events.ndjson")).stream()
                .filter(l -> l.contains("\"RotationFailed\""))
                .findFirst()
                .orElseThrow();
        String failed = "arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3";
        String fixed = "arn:aws:secretsmanager:us-east-2:123456789012:secret:Fixed-d4e5f6";
        List<String> records = List.of(
                docs,
                serviceEvent(docs, "RotationFailed", fixed, "2022-09-13T03:00:00Z", "e-1"),
                serviceEvent(docs, "RotationSucceeded", fixed, "2022-09-13T04:00:00Z", "e-2"),
                serviceEvent(docs, "RotationStarted", failed, "2022-09-13T01:00:00Z", "e-3"));
        List<JsonNode> all = load(records);
        SigmaMatcher m = new SigmaMatcher(form("rotation-failed").document().get("detection"));
        Set<String> sigmaSecrets = all.stream()
                .filter(m::matches)
                .map(r -> r.at("/additionalEventData/SecretId").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> ourSecrets = fx.run("rotation-failed", AS_OF, Map.of()).stream()
                .filter(Finding::alarm)
                .map(Finding::resource)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(ourSecrets).containsExactly(failed);
        assertThat(sigmaSecrets).containsExactlyInAnyOrder(failed, fixed);
        assertThat(form("rotation-failed").note()).contains("no RotationSucceeded after it");
    }

    /** The AWS documentation's RotationFailed record, renamed, for another secret and time. */
    static String serviceEvent(String docs, String name, String arn, String at, String id) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode n =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(docs);
        n.put("eventName", name).put("eventTime", at).put("eventID", id).put("requestID", "Rotation-" + arn + "-" + id);
        ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("additionalEventData")).put("SecretId", arn);
        if (!name.equals("RotationFailed")) {
            n.remove("errorMessage");
        }
        return n.toString();
    }

    /** The eventIDs of the records whose caller (role or user) is {@code principal}. */
    static Set<String> ids(List<JsonNode> records, String principal) {
        return records.stream()
                .filter(r -> r.path("eventName").asText().equals("BatchGetSecretValue"))
                .filter(r -> principal.equals(r.at("/userIdentity/sessionContext/sessionIssuer/arn")
                                .asText())
                        || principal.equals(r.at("/userIdentity/arn").asText()))
                .map(r -> r.path("eventID").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
