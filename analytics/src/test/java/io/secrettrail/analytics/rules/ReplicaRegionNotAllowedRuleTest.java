package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 17: replicas in regions posture.allowedRegions does not allow, from DescribeSecret's ReplicationStatus. */
class ReplicaRegionNotAllowedRuleTest extends RuleTestBase {
    static final Map<String, String> ALLOWED = Map.of("posture.allowedRegions", "us-east-1, eu-west-1");

    /** The primary's entry as DescribeSecret gives it, replicated to these regions. */
    private void primary(String... regions) throws Exception {
        StringBuilder status = new StringBuilder();
        for (String r : regions) {
            status.append(status.length() == 0 ? "" : ",")
                    .append("{\"Region\":\"")
                    .append(r)
                    .append("\",\"KmsKeyId\":\"alias/aws/secretsmanager\",\"Status\":\"InSync\",")
                    .append("\"StatusMessage\":\"Replication succeeded\"}");
        }
        fx.inventory(
                DB,
                daysAgo(30),
                "{\"ARN\":\"" + DB + "\",\"PrimaryRegion\":\"us-east-1\",\"ReplicationStatus\":[" + status + "]}");
    }

    private Finding judged(Map<String, String> settings) throws Exception {
        return fx.finding("replica-region-not-allowed", DB, AS_OF, settings);
    }

    @Test
    void a_replica_outside_the_allowed_regions_alarms_with_the_count_and_the_regions() throws Exception {
        primary("eu-west-1", "ap-southeast-2", "sa-east-1");
        assertThat(judged(ALLOWED))
                .extracting(Finding::status, Finding::severity, Finding::reason)
                .containsExactly(
                        "alarm",
                        "medium",
                        "2 of 3 replicas in regions not allowed: ap-southeast-2, sa-east-1"
                                + " (allowed: us-east-1, eu-west-1)");
    }

    @Test
    void replicas_only_in_allowed_regions_and_no_replicas_are_ok() throws Exception {
        primary("eu-west-1");
        assertThat(judged(ALLOWED))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("ok", "all 1 replicas are in allowed regions (eu-west-1)");
        primary();
        assertThat(judged(ALLOWED)).extracting(Finding::status, Finding::reason).containsExactly("ok", "no replicas");
    }

    @Test
    void boundary_one_region_allowed_exactly_and_no_setting_skips() throws Exception {
        primary("eu-west-1");
        assertThat(judged(Map.of("posture.allowedRegions", "eu-west-1")).status())
                .isEqualTo("ok");
        assertThat(judged(Map.of("posture.allowedRegions", "eu-west-2")).status())
                .isEqualTo("alarm");
        assertThat(judged(Map.of()))
                .extracting(Finding::status, Finding::reason)
                .containsExactly("skip", "posture.allowedRegions is not set");
    }

    @Test
    void a_secret_whose_replication_was_never_read_is_not_judged() throws Exception {
        fx.inventory(DB, daysAgo(30), "{\"ARN\":\"" + DB + "\",\"PrimaryRegion\":\"us-east-1\"}");
        assertThat(fx.run("replica-region-not-allowed", AS_OF, ALLOWED)).isEmpty();
    }

    @Test
    void allowed_regions_is_validated_naming_the_setting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> fx.catalog().values(Map.of("posture.allowedRegions", "us-east-1;Mars")))
                .hasMessage("posture.allowedRegions: must look like us-east-1,eu-west-1, was us-east-1;Mars");
        assertThat(fx.catalog().values(Map.of("posture.allowedRegions", " us-gov-west-1 ,ap-southeast-2")))
                .containsEntry("posture.allowedRegions", "us-gov-west-1 ,ap-southeast-2");
    }
}
