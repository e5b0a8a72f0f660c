package io.secrettrail.ingest.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsConfigTest {
    @Test
    void nothingConfiguredMeansNoAwsSource() {
        AwsConfig c = AwsConfig.of(Map.of("rotation.maxDays", "60"));
        assertThat(c.any()).isFalse();
        assertThat(c.lookup().requestsPerSecond()).isEqualTo(2.0);
        assertThat(c.lookup().backfill()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void anOrganisationTrailAndRolesPerAccount() {
        AwsConfig c = AwsConfig.of(Map.of(
                "aws.regions", "us-east-1, eu-west-1",
                "aws.accounts", "111111111111,222222222222",
                "aws.roleName", "SecretTrailAudit",
                "aws.role.222222222222", "arn:aws:iam::222222222222:role/custom/Reader",
                "aws.s3.bucket", "org-trail-logs",
                "aws.s3.prefix", "trails",
                "aws.s3.organizationId", "o-exampleorgid",
                "aws.lookup.enabled", "true",
                "aws.inventory.enabled", "true"));
        assertThat(c.any()).isTrue();
        assertThat(c.s3().logsRoot()).isEqualTo("trails/AWSLogs/o-exampleorgid/");
        assertThat(c.s3().region()).isEqualTo("us-east-1");
        assertThat(c.roleFor("111111111111", "eu-west-1")).isEqualTo("arn:aws:iam::111111111111:role/SecretTrailAudit");
        assertThat(c.roleFor("222222222222", "eu-west-1")).isEqualTo("arn:aws:iam::222222222222:role/custom/Reader");
        assertThat(c.roleFor("333333333333", "cn-north-1"))
                .isEqualTo("arn:aws-cn:iam::333333333333:role/SecretTrailAudit");
        assertThat(AwsConfig.of(Map.of("aws.s3.bucket", "b-1", "aws.s3.region", "us-east-2"))
                        .s3()
                        .logsRoot())
                .isEqualTo("AWSLogs/");
        assertThat(AwsConfig.of(Map.of("aws.s3.bucket", "b-1", "aws.s3.region", "us-east-2"))
                        .roleFor("111111111111", "us-east-2"))
                .isNull();
    }

    @Test
    void billing_imports_of_the_long_running_process_are_off_by_default_and_every_six_hours_when_on() {
        AwsConfig.Billing off = AwsConfig.of(Map.of()).billing();
        assertThat(off.imports()).isFalse();
        assertThat(off.interval()).isEqualTo(Duration.ofHours(6));
        assertThat(off.maxObjectBytes()).as("2 GiB").isEqualTo(2_147_483_648L);
        assertThat(AwsConfig.of(Map.of("aws.billing.maxObjectBytes", "1"))
                        .billing()
                        .maxObjectBytes())
                .isEqualTo(1);
        AwsConfig.Billing on = AwsConfig.of(Map.of(
                        "aws.regions", "us-east-1",
                        "aws.billing.cur", "s3://billing/exports/, /var/cur",
                        "aws.billing.costExplorer", "true",
                        "aws.billing.interval", "5m"))
                .billing();
        assertThat(on.imports()).isTrue();
        assertThat(on.cur()).containsExactly("s3://billing/exports/", "/var/cur");
        assertThat(on.costExplorer()).isTrue();
        assertThat(on.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(AwsConfig.of(Map.of("aws.billing.cur", "/var/cur")).billing().imports())
                .isTrue();
    }

    @Test
    void a_bad_billing_setting_is_named() {
        assertBad(Map.of("aws.billing.cur", "s3://"), "aws.billing.cur: not an s3://bucket/prefix location: s3://");
        assertBad(Map.of("aws.billing.costExplorer", "yes"), "aws.billing.costExplorer: must be true or false");
        assertBad(
                Map.of("aws.billing.costExplorer", "true"),
                "aws.billing.costExplorer: aws.regions must list the regions");
        assertBad(Map.of("aws.billing.interval", "4m"), "aws.billing.interval: between 5 minutes and 31 days");
        assertBad(Map.of("aws.billing.interval", "32d"), "aws.billing.interval: between 5 minutes and 31 days");
        assertBad(Map.of("aws.billing.intervall", "1h"), "aws.billing.intervall: unknown AWS setting");
        assertBad(Map.of("aws.billing.maxObjectBytes", "0"), "aws.billing.maxObjectBytes: must be 1..1099511627776");
        assertBad(Map.of("aws.billing.maxObjectBytes", "2GiB"), "aws.billing.maxObjectBytes: expected a whole number");
    }

    @Test
    void everyBadSettingIsNamed() {
        assertBad(Map.of("aws.regoins", "us-east-1"), "aws.regoins: unknown AWS setting");
        assertBad(Map.of("aws.regions", "us-east-1,moon-1"), "aws.regions: not a region name: moon-1");
        assertBad(Map.of("aws.accounts", "12345"), "aws.accounts: not a 12-digit account id: 12345");
        assertBad(
                Map.of("aws.role.111111111111", "arn:aws:iam::222222222222:role/x"),
                "aws.role.111111111111: expected an IAM role ARN in account 111111111111");
        assertBad(Map.of("aws.endpoint.ec2", "http://127.0.0.1:1"), "aws.endpoint.ec2: no such service");
        assertBad(Map.of("aws.endpoint", "ftp://x"), "aws.endpoint: expected an http(s) URL");
        assertBad(Map.of("aws.s3.bucket", "Bad_Bucket"), "aws.s3.bucket: not an S3 bucket name");
        assertBad(Map.of("aws.s3.bucket", "ok-bucket"), "aws.s3.region: the bucket's region is needed");
        assertBad(
                Map.of("aws.s3.bucket", "ok-bucket", "aws.s3.region", "us-east-1", "aws.s3.organizationId", "org1"),
                "aws.s3.organizationId: expected o-xxxxxxxxxx");
        assertBad(Map.of("aws.lookup.enabled", "yes"), "aws.lookup.enabled: must be true or false");
        assertBad(Map.of("aws.lookup.enabled", "true"), "aws.regions: LookupEvents and the inventory need the regions");
        assertBad(
                Map.of("aws.regions", "us-east-1", "aws.lookup.requestsPerSecond", "3"),
                "aws.lookup.requestsPerSecond: must be above 0 and at most 2");
        assertBad(
                Map.of("aws.regions", "us-east-1", "aws.lookup.backfill", "91d"),
                "aws.lookup.backfill: at most 90 days");
        assertBad(Map.of("aws.inventory.interval", "soon"), "aws.inventory.interval: expected a positive duration");
    }

    @Test
    void theBoundariesAreAllowed() {
        AwsConfig c = AwsConfig.of(Map.of(
                "aws.regions",
                "us-gov-west-1",
                "aws.lookup.enabled",
                "true",
                "aws.lookup.backfill",
                "90d",
                "aws.lookup.requestsPerSecond",
                "2",
                "aws.lookup.overlap",
                "1s"));
        assertThat(c.lookup().backfill()).isEqualTo(Duration.ofDays(90));
        assertThat(c.roleFor("111111111111", "us-gov-west-1")).isNull();
    }

    private static void assertBad(Map<String, String> settings, String message) {
        assertThatThrownBy(() -> AwsConfig.of(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
