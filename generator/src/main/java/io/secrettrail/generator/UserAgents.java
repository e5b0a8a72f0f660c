package io.secrettrail.generator;

/** Realistic user agents, plus the one hostile value an HTML report must escape. */
final class UserAgents {
    static final String JAVA = "aws-sdk-java/2.25.6 Linux/5.10.215-203.850.amzn2.x86_64 "
            + "OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache "
            + "cfg/retry-mode/legacy";
    static final String BOTO = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 "
            + "md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69";
    static final String CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off "
            + "command/secretsmanager.get-secret-value";
    static final String CLI_MAC = "aws-cli/2.15.17 Python/3.11.6 Darwin/23.3.0 exe/x86_64 prompt/off "
            + "command/secretsmanager.describe-secret";
    static final String TERRAFORM = "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) "
            + "terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
            + "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/secretsmanager#1.28.5";
    static final String GO = "aws-sdk-go/1.50.38 (go1.21.8; linux; amd64)";
    static final String CONSOLE = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    static final String HOSTILE = "<script>alert(\"ua\")</script>";

    private UserAgents() {}
}
