package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: {@code analyze --policies} reads saved {@code aws secretsmanager get-resource-policy} outputs, and
 * public-policy judges them as the secrets' current policies beside the golden trail.
 */
class PoliciesOptionIT {
    static final String OPEN =
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/data/reports/db-password-OMRrZ6";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    /** analyze on the golden trail and inventory with these options besides; the report it wrote. */
    private static Path analyze(String run, String... options) {
        Path out = dir.resolve(run + ".json");
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work-" + run).toString(),
                "--trail",
                GoldenReportIT.GOLDEN.resolve("trail").toString(),
                "--inventory",
                GoldenReportIT.GOLDEN.resolve("inventory").toString(),
                "--as-of",
                GoldenReportIT.AS_OF,
                "--out",
                out.toString()));
        args.addAll(List.of(options));
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
        return out;
    }

    @Test
    void a_saved_policy_granting_everyone_raises_public_policy_naming_the_file() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        Files.writeString(
                policies.resolve("reports.json"),
                "{\"ARN\":\"" + OPEN + "\",\"Name\":\"prod/data/reports/db-password\",\"ResourcePolicy\":"
                        + io.secrettrail.core.Json.mapper().writeValueAsString(document) + "}\n");
        Path out = analyze("report", "--policies", policies.toString());
        JsonNode report = io.secrettrail.core.Json.mapper().readTree(Files.readString(out));
        List<JsonNode> open = new ArrayList<>();
        report.get("alerts").forEach(a -> {
            if (a.get("rule").asText().equals("public-policy")
                    && a.get("resource").asText().equals(OPEN)) {
                open.add(a);
            }
        });
        assertThat(open)
                .singleElement()
                .satisfies(a -> assertThat(a.get("reason").asText())
                        .isEqualTo(
                                "the current resource policy (from the saved get-resource-policy output policies/reports.json)"
                                        + " grants secretsmanager:GetSecretValue to everyone (\"Principal\": \"*\") with no condition"
                                        + " restricting callers to the organisation, a VPC or trusted accounts"));
    }

    @Test
    void a_saved_describe_secret_output_with_a_replica_outside_the_allowed_regions_alarms() throws Exception {
        // The golden inventory's entry of the secret, as describe-secret prints it: with its ReplicationStatus.
        com.fasterxml.jackson.databind.node.ObjectNode described = null;
        for (JsonNode e : io.secrettrail.core.Json.mapper()
                .readTree(GoldenReportIT.GOLDEN
                        .resolve("inventory/111111111111-us-east-1.json")
                        .toFile())
                .get("SecretList")) {
            if (e.get("ARN").asText().equals(OPEN)) {
                described = (com.fasterxml.jackson.databind.node.ObjectNode) e.deepCopy();
            }
        }
        assertThat(described).isNotNull();
        described.put("PrimaryRegion", "us-east-1");
        described.set(
                "ReplicationStatus",
                io.secrettrail.core.Json.mapper()
                        .readTree("[{\"Region\":\"eu-west-1\",\"Status\":\"InSync\"},"
                                + "{\"Region\":\"ap-south-1\",\"Status\":\"InSync\"}]"));
        Path describeFile = Files.writeString(dir.resolve("describe-reports.json"), described.toString());
        Path out = analyze(
                "replicas",
                "--inventory",
                describeFile.toString(),
                "--set",
                "posture.allowedRegions=us-east-1,eu-west-1");
        JsonNode report = io.secrettrail.core.Json.mapper().readTree(Files.readString(out));
        List<JsonNode> alarms = new ArrayList<>();
        report.get("alerts").forEach(a -> {
            if (a.get("rule").asText().equals("replica-region-not-allowed")) {
                alarms.add(a);
            }
        });
        assertThat(alarms).singleElement().satisfies(a -> {
            assertThat(a.get("resource").asText()).isEqualTo(OPEN);
            assertThat(a.get("reason").asText())
                    .isEqualTo("1 of 2 replicas in regions not allowed: ap-south-1 (allowed: us-east-1, eu-west-1)");
        });
    }
}
