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

    @Test
    void a_saved_policy_granting_everyone_raises_public_policy_naming_the_file() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}";
        Files.writeString(
                policies.resolve("reports.json"),
                "{\"ARN\":\"" + OPEN + "\",\"Name\":\"prod/data/reports/db-password\",\"ResourcePolicy\":"
                        + io.secrettrail.core.Json.mapper().writeValueAsString(document) + "}\n");
        Path out = dir.resolve("report.json");
        List<String> args = new ArrayList<>(List.of(
                "analyze",
                "--kafka",
                KAFKA.bootstrap(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--trail",
                GoldenReportIT.GOLDEN.resolve("trail").toString(),
                "--inventory",
                GoldenReportIT.GOLDEN.resolve("inventory").toString(),
                "--policies",
                policies.toString(),
                "--as-of",
                GoldenReportIT.AS_OF,
                "--out",
                out.toString()));
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
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
}
