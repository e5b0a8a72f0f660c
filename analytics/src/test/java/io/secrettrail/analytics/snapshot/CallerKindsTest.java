package io.secrettrail.analytics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.snapshot.CallerKinds.CallerKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CallerKindsTest {
    private static final CallerKinds KINDS = CallerKinds.standard();

    private static CallerKind ua(String userAgent) {
        return KINDS.classify(userAgent, null);
    }

    /**
     * Every distinct userAgent of the public CloudTrail records in the project's fixtures (Stratus Red Team,
     * the AWS documentation, OTRF, Panther, ...), with the kind and label it must get.
     */
    static Stream<Arguments> fixtureAgents() {
        return Stream.of(
                Arguments.of("stratus-red-team_0a05817a-84d2-40d7-afde-8311715b1ee6", "unknown", "Stratus Red Team"),
                Arguments.of("console.ec2.amazonaws.com", "console", "AWS Management Console"),
                Arguments.of("[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59]", "cli", "AWS CLI v1"),
                Arguments.of(
                        "aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 "
                                + "exec-env/grimoire_095724e3-1fa0-4e3e-b68a-e8581d194380 api/sts#1.26.2",
                        "sdk",
                        "SDK Go v2"),
                Arguments.of("ec2-api-tools 1.6.12.2", "cli", "EC2 API tools"),
                Arguments.of(
                        "EC2ConsoleFrontend, aws-internal/3 aws-sdk-java/1.11.848 "
                                + "Linux/4.9.217-0.1.ac.205.84.332.metal1.x86_64 OpenJDK_64-Bit_Server_VM/25.262-b10 "
                                + "java/1.8.0_262 vendor/Oracle_Corporation",
                        "console",
                        "AWS Management Console"),
                Arguments.of(
                        "EC2ConsoleBackend, aws-sdk-java/Linux/x.xx.fleetxen Java_HotSpot(TM)_64-Bit_Server_VM/xx",
                        "console",
                        "AWS Management Console"),
                Arguments.of("AWSConsole", "console", "AWS Management Console"),
                Arguments.of("aws-cli/1.3.2 Python/2.7.5 Windows/7", "cli", "AWS CLI v1"),
                Arguments.of("aws-cli/1.10.32 Python/2.7.9 Windows/7 botocore/1.4.22", "cli", "AWS CLI v1"),
                Arguments.of(
                        "aws-cli/1.14.23 Python/2.7.12 Linux/4.9.75-25.55.amzn1.x86_64 botocore/1.8.27",
                        "cli",
                        "AWS CLI v1"),
                Arguments.of(
                        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                                + "Chrome/133.0.0.0 Safari/537.36",
                        "console",
                        "AWS Management Console (browser)"),
                Arguments.of(
                        "APN/1.0 HashiCorp/1.0 Terraform/1.1.2 (+https://www.terraform.io) terraform-provider-aws/3.76.1 "
                                + "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.44.157 "
                                + "(go1.19.3; darwin; arm64) HashiCorp-terraform-exec/0.17.3",
                        "iac",
                        "Terraform"),
                Arguments.of("secretsmanager.amazonaws.com", "aws-service", "AWS service"),
                Arguments.of("ec2.amazonaws.com", "aws-service", "AWS service"),
                // placeholders of Panther's test fixtures
                Arguments.of("userAgent1", "unknown", null),
                Arguments.of("abc", "unknown", null));
    }

    @ParameterizedTest
    @MethodSource("fixtureAgents")
    void every_user_agent_of_the_fixtures_gets_its_kind(String agent, String kind, String label) {
        assertThat(ua(agent)).isEqualTo(new CallerKind(kind, label));
    }

    /** The strings the clients' public source writes (see callers/kinds.tsv for where each comes from). */
    static Stream<Arguments> sourceAgents() {
        return Stream.of(
                Arguments.of(
                        "aws-sdk-rust/1.3.3 os/linux lang/rust/1.82.0 aws-secrets-manager-agent/2.0.0",
                        "caching",
                        "Secrets Manager Agent"),
                Arguments.of(
                        "aws-sdk-rust/1.3.9 os/linux lang/rust/1.86.0 aws-workload-credentials-provider/3.0.0",
                        "caching",
                        "AWS Workload Credentials Provider"),
                Arguments.of(
                        "aws-sdk-rust/1.3.3 os/macos lang/rust/1.82.0 AWSSecretsManagerCachingRust/2.1.0",
                        "caching",
                        "Secrets Manager caching (Rust)"),
                Arguments.of(
                        "aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.9+9 Java/17.0.9 vendor/Amazon.com_Inc. "
                                + "io/sync http/Apache cfg/retry-mode/legacy AwsSecretCache/2.0.0",
                        "caching",
                        "Secrets Manager caching (Java)"),
                Arguments.of(
                        "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.1 "
                                + "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0 AwsSecretCache/1.1.3",
                        "caching",
                        "Secrets Manager caching (Python)"),
                Arguments.of(
                        "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 "
                                + "api/secretsmanager#1.32.4 AwsSecretCache/2.0.2.0",
                        "caching",
                        "Secrets Manager caching (Go)"),
                // .NET joins its marker with a slash, no space
                Arguments.of(
                        "aws-sdk-dotnet-coreclr/3.7.300.0 aws-sdk-dotnet-core/3.7.300.0 .NET_Core/8.0 OS/Linux_6.1"
                                + "/AwsSecretCache/1.3.0",
                        "caching",
                        "Secrets Manager caching (.NET)"),
                // the CSI provider's three forms: SDK v1 bare name, name/version, SDK v2 AppID
                Arguments.of(
                        "aws-sdk-go/1.44.0 (go1.19; linux; amd64) secrets-store-csi-driver-provider-aws",
                        "caching",
                        "Secrets Store CSI driver (AWS provider)"),
                Arguments.of(
                        "aws-sdk-go-v2/1.36.3 os/linux lang/go#1.24.1 md/GOOS#linux md/GOARCH#amd64 api/secretsmanager#1.35.4 "
                                + "secrets-store-csi-driver-provider-aws/1.0.1 eksAddonVersion/v1.0.1-eksbuild.1",
                        "caching",
                        "Secrets Store CSI driver (AWS provider)"),
                Arguments.of(
                        "aws-sdk-go-v2/1.39.6 ua/2.1 os/linux lang/go#1.25.5 md/GOOS#linux md/GOARCH#amd64 "
                                + "app/secrets-store-csi-driver-provider-aws-2.1.0 api/secretsmanager#1.39.10",
                        "caching",
                        "Secrets Store CSI driver (AWS provider)"),
                Arguments.of(
                        "aws-sdk-go/1.44.262 (go1.20.4; linux; amd64) external-secrets",
                        "caching",
                        "External Secrets Operator"),
                Arguments.of(
                        "APN/1.0 Pulumi/1.0 Pulumi-Aws/6.56.1 (+https://www.pulumi.com) aws-sdk-go-v2/1.32.2 os/linux",
                        "iac",
                        "Pulumi"),
                Arguments.of(
                        "APN/1.0 Shalb/1.0 Cluster.dev/0.9.7 aws-sdk-go-v2/1.32.2 os/linux",
                        "iac",
                        "Infrastructure as code (APN partner)"),
                Arguments.of(
                        "aws-sdk-js/3.637.0 ua/2.0 os/linux#6.1 lang/js md/nodejs#20.17.0 api/secrets-manager#3.637.0 "
                                + "aws-cdk/2.160.0",
                        "iac",
                        "AWS CDK"),
                Arguments.of("cloudformation.amazonaws.com", "iac", "AWS CloudFormation"),
                // seen in public CloudTrail samples (a CloudGoat walk-through, AWS documentation examples)
                Arguments.of(
                        "aws-cli/2.9.1 Python/3.9.11 Linux/5.15.90.1-microsoft-standard-WSL2 exe/x86_64.ubuntu.22 "
                                + "prompt/off command/secretsmanager.get-secret-value",
                        "cli",
                        "AWS CLI v2"),
                Arguments.of(
                        "Boto3/1.26.36 Python/3.10.6 Linux/4.14.301-224.520.amzn2.x86_64 exec-env/AWS_ECS_FARGATE "
                                + "Botocore/1.29.36",
                        "sdk",
                        "SDK Python (boto3)"),
                Arguments.of(
                        "aws-sdk-java/2.17.1 Linux/5.4.0-103-generic OpenJDK_64-Bit_Server_VM/11.0.11+9/11.0.11+9 "
                                + "java/11.0.11 vendor/Oracle_Corporation",
                        "sdk",
                        "SDK Java"),
                Arguments.of(
                        "aws-sdk-dotnet/1.4.11.0 .NET Runtime/4.0 .NET Framework/4.0 OS/6.1.7601.65536",
                        "sdk",
                        "SDK .NET"),
                Arguments.of(
                        "aws-sdk-js/3.632.0 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 "
                                + "api/connect#3.632.0",
                        "sdk",
                        "SDK JavaScript"),
                Arguments.of(
                        "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 lang/python#3.12.1 Botocore/1.34.0",
                        "sdk",
                        "SDK Python (boto3)"),
                Arguments.of("aws-sdk-go/1.44.157 (go1.19.3; linux; amd64)", "sdk", "SDK Go"),
                Arguments.of("aws-sdk-java/2.25.0", "sdk", "SDK Java"),
                Arguments.of(
                        "aws-sdk-nodejs/2.1500.0 linux/v18.18.2 exec-env/AWS_Lambda_nodejs18.x",
                        "sdk",
                        "SDK JavaScript"),
                Arguments.of("aws-sdk-dotnet-coreclr/3.7.300.0 aws-sdk-dotnet-core/3.7.300.0", "sdk", "SDK .NET"),
                Arguments.of("aws-sdk-rust/1.3.3 os/linux lang/rust/1.82.0", "sdk", "SDK Rust"),
                Arguments.of("AWS Internal", "aws-service", "AWS service"));
    }

    @ParameterizedTest
    @MethodSource("sourceAgents")
    void the_strings_of_the_clients_source_get_their_kind(String agent, String kind, String label) {
        assertThat(ua(agent)).isEqualTo(new CallerKind(kind, label));
    }

    @Test
    void a_caching_marker_appended_after_an_sdk_user_agent_wins_over_the_sdk() {
        String sdk = "aws-sdk-java/2.25.0 Linux/6.1 Java/17.0.9";
        assertThat(ua(sdk).kind()).isEqualTo("sdk");
        assertThat(ua(sdk + " AwsSecretCache/2.0.0").kind()).isEqualTo("caching");
        assertThat(ua("aws-sdk-rust/1.3.3 os/linux aws-secrets-manager-agent/2.0.0")
                        .kind())
                .isEqualTo("caching");
    }

    @Test
    void a_marker_must_stand_as_its_own_token() {
        // "external-secrets" inside another word is not the operator's marker
        assertThat(ua("aws-sdk-go/1.44.262 (go1.20.4; linux; amd64) my-external-secrets-sync")
                        .label())
                .isEqualTo("SDK Go");
        assertThat(ua("aws-sdk-go/1.44.262 (go1.20.4; linux; amd64) external-secrets")
                        .label())
                .isEqualTo("External Secrets Operator");
    }

    @Test
    void the_console_back_end_is_the_console_though_it_carries_an_sdk() {
        assertThat(ua("EC2ConsoleFrontend, aws-internal/3 aws-sdk-java/1.11.848")
                        .kind())
                .isEqualTo("console");
    }

    @Test
    void invoked_by_decides_before_the_user_agent() {
        assertThat(KINDS.classify("aws-sdk-java/2.25.0", "secretsmanager.amazonaws.com"))
                .isEqualTo(new CallerKind("aws-service", "AWS service"));
        assertThat(KINDS.classify("aws-sdk-java/2.25.0", "cloudformation.amazonaws.com"))
                .isEqualTo(new CallerKind("iac", "AWS CloudFormation"));
        assertThat(KINDS.classify("aws-sdk-java/2.25.0", "").kind()).isEqualTo("sdk");
    }

    @Test
    void no_user_agent_or_an_unheard_of_one_is_unknown() {
        assertThat(ua(null)).isEqualTo(new CallerKind("unknown", null));
        assertThat(ua("")).isEqualTo(new CallerKind("unknown", null));
        assertThat(ua("curl/8.5.0")).isEqualTo(new CallerKind("unknown", null));
    }

    @Test
    void modern_external_secrets_operator_sends_no_marker_so_it_reads_as_a_go_sdk() {
        // since 0.18 (SDK v2) its Secrets Manager clients set no AppID: nothing tells it apart
        assertThat(ua("aws-sdk-go-v2/1.36.3 os/linux lang/go#1.24.1 md/GOOS#linux md/GOARCH#amd64 "
                        + "api/secretsmanager#1.35.4"))
                .isEqualTo(new CallerKind("sdk", "SDK Go v2"));
    }

    @Test
    void the_invoking_service_is_a_principal_key_that_is_a_service_name() {
        assertThat(CallerKinds.serviceOf("secretsmanager.amazonaws.com")).isEqualTo("secretsmanager.amazonaws.com");
        assertThat(CallerKinds.serviceOf("arn:aws:iam::123456789012:role/x.amazonaws.com"))
                .isNull();
        assertThat(CallerKinds.serviceOf("arn:aws:iam::123456789012:role/app")).isNull();
        assertThat(CallerKinds.serviceOf(null)).isNull();
    }
}
