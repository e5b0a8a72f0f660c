package io.secrettrail.analytics.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.rules.Rule;
import io.secrettrail.analytics.rules.RuleCatalog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Alerts as ASFF findings for Security Hub: required fields, severity labels, record states, stable ids. */
class AsffTest {
    static final Instant T0 = OcsfTest.T0;
    static final String REGION = "eu-west-1";

    /** What Security Hub's BatchImportFindings refuses a finding without (ASFF required attributes). */
    static final List<String> REQUIRED = List.of(
            "SchemaVersion",
            "Id",
            "ProductArn",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Resources");

    static void hasRequiredFields(ObjectNode f) {
        for (String field : REQUIRED) {
            assertThat(f.hasNonNull(field)).as(field + " in " + f).isTrue();
        }
        assertThat(f.get("SchemaVersion").asText()).isEqualTo("2018-10-08");
        assertThat(f.get("Types")).isNotEmpty();
        assertThat(f.at("/Resources/0/Type").asText()).isNotEmpty();
        assertThat(f.at("/Resources/0/Id").asText()).isNotEmpty();
        assertThat(Instant.parse(f.get("CreatedAt").asText())).isNotNull();
        assertThat(Instant.parse(f.get("UpdatedAt").asText())).isNotNull();
    }

    @Test
    void an_open_incident_is_an_active_new_finding_of_its_account_with_the_runbook() {
        Finding d = OcsfTest.detection("high", "open");
        ObjectNode f = Asff.finding(Payloads.of(d.incident().id(), "alarm", d, T0), REGION);
        hasRequiredFields(f);
        assertThat(f.get("Id").asText())
                .isEqualTo("secrettrail:bulk-retrieval:" + d.incident().id());
        assertThat(f.get("AwsAccountId").asText()).isEqualTo("111111111111");
        assertThat(f.get("ProductArn").asText())
                .isEqualTo("arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default");
        assertThat(f.get("GeneratorId").asText()).isEqualTo("secrettrail/bulk-retrieval");
        assertThat(f.get("Title").asText())
                .isEqualTo(RuleCatalog.load().get("bulk-retrieval").title());
        assertThat(f.get("RecordState").asText()).isEqualTo("ACTIVE");
        assertThat(f.at("/Workflow/Status").asText()).isEqualTo("NEW");
        assertThat(f.at("/Severity/Label").asText()).isEqualTo("HIGH");
        assertThat(f.at("/Remediation/Recommendation/Text").asText())
                .isEqualTo("Check whether the role should read this many secrets.");
        assertThat(f.get("CreatedAt").asText()).isEqualTo(T0.minusSeconds(60).toString());
        assertThat(f.get("UpdatedAt").asText()).isEqualTo(T0.toString());
        // a detection has no compliance check to pass or fail
        assertThat(f.has("Compliance")).isFalse();
    }

    @Test
    void a_closing_incident_reimports_the_same_id_archived_and_keeps_its_created_at() {
        Finding d = OcsfTest.detection("high", "open");
        ObjectNode alarm = Payloads.of(d.incident().id(), "alarm", d, T0);
        ObjectNode open = Asff.finding(alarm, REGION);
        ObjectNode again = Asff.finding(alarm, REGION);
        ObjectNode closed =
                Asff.finding(Payloads.clear(alarm, d.incident().id() + "-clear", T0.plusSeconds(600)), REGION);

        hasRequiredFields(closed);
        assertThat(again).isEqualTo(open);
        assertThat(closed.get("Id").asText()).isEqualTo(open.get("Id").asText());
        assertThat(closed.get("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(closed.has("Workflow")).isFalse();
        assertThat(closed.get("CreatedAt").asText())
                .isEqualTo(open.get("CreatedAt").asText());
        assertThat(closed.get("UpdatedAt").asText())
                .isEqualTo(T0.plusSeconds(600).toString());
    }

    @Test
    void the_id_is_the_ocsf_finding_uid_for_a_posture_check_and_an_incident() {
        Finding d = OcsfTest.detection("high", "open");
        ObjectNode incident = Payloads.of(d.incident().id(), "alarm", d, T0);
        ObjectNode posture = Payloads.of("m-1", "alarm", OcsfTest.posture(), T0);
        assertThat(Asff.finding(incident, REGION).get("Id").asText())
                .isEqualTo(
                        Ocsf.findings(incident).get(0).at("/finding_info/uid").asText());
        assertThat(Asff.finding(posture, REGION).get("Id").asText())
                .isEqualTo(Ocsf.findings(posture).get(0).at("/finding_info/uid").asText())
                .isEqualTo("secrettrail:stale-rotation:" + OcsfTest.SECRET);
    }

    @Test
    void a_failing_posture_check_is_failed_on_the_secret_and_passes_archived_when_it_clears() {
        ObjectNode alarm = Payloads.of("m-1", "alarm", OcsfTest.posture(), T0);
        ObjectNode failed = Asff.finding(alarm, REGION);
        ObjectNode passed = Asff.finding(Payloads.clear(alarm, "m-1-clear", T0.plusSeconds(60)), REGION);
        Rule rule = RuleCatalog.load().get("stale-rotation");

        hasRequiredFields(failed);
        assertThat(failed.at("/Compliance/Status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("RecordState").asText()).isEqualTo("ACTIVE");
        assertThat(failed.at("/Resources/0/Type").asText()).isEqualTo("AwsSecretsManagerSecret");
        assertThat(failed.at("/Resources/0/Id").asText()).isEqualTo(OcsfTest.SECRET);
        assertThat(failed.at("/Resources/0/Partition").asText()).isEqualTo("aws");
        assertThat(failed.at("/Resources/0/Region").asText()).isEqualTo("us-east-1");
        assertThat(failed.get("Description").asText()).contains("120 days");
        assertThat(failed.get("Types").get(0).asText())
                .startsWith("Software and Configuration Checks/AWS Security Best Practices/");
        assertThat(failed.at("/Remediation/Recommendation/Text").asText()).isEqualTo(rule.runbook());
        assertThat(passed.at("/Compliance/Status").asText()).isEqualTo("PASSED");
        assertThat(passed.get("RecordState").asText()).isEqualTo("ARCHIVED");
        assertThat(passed.get("Id").asText()).isEqualTo(failed.get("Id").asText());
    }

    @ParameterizedTest
    @CsvSource({"low,LOW", "medium,MEDIUM", "high,HIGH", "critical,CRITICAL"})
    void each_severity_is_its_severity_label(String severity, String label) {
        ObjectNode f = Asff.finding(Payloads.of("m", "alarm", OcsfTest.detection(severity, "open"), T0), REGION);
        assertThat(f.at("/Severity/Label").asText()).isEqualTo(label);
        // where Security Hub reads an update's severity from
        assertThat(f.at("/FindingProviderFields/Severity/Label").asText()).isEqualTo(label);
        assertThat(f.at("/Severity/Original").asText()).isEqualTo(severity);
    }

    @Test
    void a_severity_it_does_not_know_is_informational() {
        assertThat(Asff.severityLabel("bogus")).isEqualTo("INFORMATIONAL");
        assertThat(Asff.severityLabel(null)).isEqualTo("INFORMATIONAL");
    }

    @Test
    void the_product_arn_and_partition_follow_the_region() {
        assertThat(Asff.productArn("cn-north-1", "222222222222"))
                .isEqualTo("arn:aws-cn:securityhub:cn-north-1:222222222222:product/222222222222/default");
        assertThat(Asff.partition("us-gov-west-1")).isEqualTo("aws-us-gov");
    }

    @Test
    void an_alert_without_an_account_is_refused_naming_why() {
        ObjectNode p = Payloads.of("m-1", "alarm", OcsfTest.posture(), T0);
        p.put("account", "not-an-account");
        assertThatThrownBy(() -> Asff.finding(p, REGION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no AWS account");
    }

    @Test
    void a_long_reason_is_cut_to_what_security_hub_takes() {
        ObjectNode p = Payloads.of("m-1", "alarm", OcsfTest.posture(), T0);
        p.put("reason", "x".repeat(5000));
        assertThat(Asff.finding(p, REGION).get("Description").asText()).hasSize(Asff.MAX_DESCRIPTION);
    }
}
