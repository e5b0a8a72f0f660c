package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A record from another service. KMS Decrypt calls made by Secrets Manager carry a secret ARN in
 * their encryption context: a trap for code that greps every record for secret ARNs.
 */
final class NoiseRecord implements TrailRecord {
    enum Kind {
        S3_GET_OBJECT,
        S3_LIST_OBJECTS,
        STS_ASSUME_ROLE,
        EC2_DESCRIBE_INSTANCES,
        KMS_DECRYPT,
        CLOUDTRAIL_LOOKUP,
        LAMBDA_INVOKE
    }

    private static final String SM = "secretsmanager.amazonaws.com";

    final Kind kind;
    final long time;
    final int accountRegion;
    final Principal principal;
    /** Which of the principal's sessions made the call. */
    int sessionIndex;

    String sourceIp;
    String userAgent;
    String eventId;
    String requestId;
    int tlsVariant;

    // What one kind writes; the others leave these null.
    /** S3: the bucket, the object key (GetObject) or listed prefix (ListObjects), x-amz-id-2, bytes sent. */
    String bucket;

    String objectKeyOrPrefix;
    String amzId2;
    long bytesTransferredOut;
    /** STS AssumeRole: the role, the new session's name, its access key and ARN, the id shared with the role's account. */
    String roleArn;

    String roleSessionName;
    String sessionAccessKeyId;
    String assumedRoleArn;
    String sharedEventId;
    /** EC2 DescribeInstances: the instance asked about. */
    String instanceId;
    /**
     * The key id of an account's AWS managed {@code aws/secretsmanager} key in a region: the same for every secret
     * there, as in AWS (no inventory entry names a KmsKeyId), derived from the account and region alone.
     */
    static String secretsManagerKeyId(String account, String region) {
        return java.util
                .UUID
                .nameUUIDFromBytes(("aws/secretsmanager:" + account + ":" + region)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** That key's ARN. */
    static String secretsManagerKeyArn(String account, String region) {
        return "arn:aws:kms:" + region + ":" + account + ":key/" + secretsManagerKeyId(account, region);
    }

    /** KMS Decrypt: the key, and either the secret whose data key is decrypted with its version, or an EBS volume. */
    String kmsKeyId;

    SyntheticSecret secret;
    String secretVersionId;
    String ebsVolumeId;
    /** CloudTrail LookupEvents: the event name looked up. */
    String lookupEventName;
    /** Lambda Invoke: the function. */
    String functionName;

    NoiseRecord(Kind kind, long time, int accountRegion, Principal principal) {
        this.kind = kind;
        this.time = time;
        this.accountRegion = accountRegion;
        this.principal = principal;
    }

    @Override
    public long time() {
        return time;
    }

    @Override
    public int accountRegion() {
        return accountRegion;
    }

    @Override
    public boolean secretsManager() {
        return false;
    }

    private String service() {
        return switch (kind) {
            case S3_GET_OBJECT, S3_LIST_OBJECTS -> "s3";
            case STS_ASSUME_ROLE -> "sts";
            case EC2_DESCRIBE_INSTANCES -> "ec2";
            case KMS_DECRYPT -> "kms";
            case CLOUDTRAIL_LOOKUP -> "cloudtrail";
            case LAMBDA_INVOKE -> "lambda";
        };
    }

    private String eventName() {
        return switch (kind) {
            case S3_GET_OBJECT -> "GetObject";
            case S3_LIST_OBJECTS -> "ListObjects";
            case STS_ASSUME_ROLE -> "AssumeRole";
            case EC2_DESCRIBE_INSTANCES -> "DescribeInstances";
            case KMS_DECRYPT -> "Decrypt";
            case CLOUDTRAIL_LOOKUP -> "LookupEvents";
            case LAMBDA_INVOKE -> "Invoke";
        };
    }

    @Override
    public void write(JsonGenerator g, RecordText text) throws IOException {
        String region = Topology.region(accountRegion);
        String account = Topology.accountId(accountRegion);
        boolean viaSecretsManager = kind == Kind.KMS_DECRYPT;
        boolean data = kind == Kind.S3_GET_OBJECT || kind == Kind.S3_LIST_OBJECTS || kind == Kind.LAMBDA_INVOKE;
        g.writeStartObject();
        Keys.str(g, Keys.EVENT_VERSION, data ? "1.10" : "1.09");
        principal.writeIdentity(g, sessionIndex, text.sessionCreation(time), viaSecretsManager ? SM : null);
        Keys.str(g, Keys.EVENT_TIME, text.eventTime(time));
        Keys.str(g, Keys.EVENT_SOURCE, service() + ".amazonaws.com");
        Keys.str(g, Keys.EVENT_NAME, eventName());
        Keys.str(g, Keys.AWS_REGION, region);
        Keys.str(g, Keys.SOURCE_IPADDRESS, viaSecretsManager ? SM : sourceIp);
        Keys.str(g, Keys.USER_AGENT, viaSecretsManager ? SM : userAgent);
        g.writeFieldName(Keys.REQUEST_PARAMETERS);
        g.writeStartObject();
        switch (kind) {
            case S3_GET_OBJECT, S3_LIST_OBJECTS -> {
                Keys.str(g, Keys.BUCKET_NAME, bucket);
                Keys.str(g, Keys.HOST, bucket + ".s3." + region + ".amazonaws.com");
                if (kind == Kind.S3_GET_OBJECT) {
                    Keys.str(g, Keys.KEY, objectKeyOrPrefix);
                } else {
                    Keys.str(g, Keys.PREFIX, objectKeyOrPrefix);
                    Keys.str(g, Keys.LIST_TYPE, "2");
                    Keys.str(g, Keys.MAX_KEYS, "1000");
                }
            }
            case STS_ASSUME_ROLE -> {
                Keys.str(g, Keys.ROLE_ARN, roleArn);
                Keys.str(g, Keys.ROLE_SESSION_NAME, roleSessionName);
                Keys.num(g, Keys.DURATION_SECONDS, 3600);
            }
            case EC2_DESCRIBE_INSTANCES -> {
                Keys.object(g, Keys.INSTANCES_SET);
                Keys.array(g, Keys.ITEMS);
                g.writeStartObject();
                Keys.str(g, Keys.INSTANCE_ID, instanceId);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                Keys.object(g, Keys.FILTER_SET);
                g.writeEndObject();
            }
            case KMS_DECRYPT -> {
                Keys.object(g, Keys.ENCRYPTION_CONTEXT);
                if (secret != null) {
                    Keys.str(g, Keys.SECRET_ARN, secret.fullArn);
                    Keys.str(g, Keys.SECRET_VERSION_ID, secretVersionId);
                } else {
                    Keys.str(g, Keys.AWS_EBS_ID, ebsVolumeId);
                }
                g.writeEndObject();
                Keys.str(g, Keys.ENCRYPTION_ALGORITHM, "SYMMETRIC_DEFAULT");
            }
            case CLOUDTRAIL_LOOKUP -> {
                Keys.array(g, Keys.LOOKUP_ATTRIBUTES);
                g.writeStartObject();
                Keys.str(g, Keys.ATTRIBUTE_KEY, "EventName");
                Keys.str(g, Keys.ATTRIBUTE_VALUE, lookupEventName);
                g.writeEndObject();
                g.writeEndArray();
                Keys.num(g, Keys.MAX_RESULTS, 50);
            }
            case LAMBDA_INVOKE -> {
                Keys.str(g, Keys.FUNCTION_NAME, functionName);
                Keys.str(g, Keys.INVOCATION_TYPE, "RequestResponse");
            }
        }
        g.writeEndObject();
        g.writeFieldName(Keys.RESPONSE_ELEMENTS);
        if (kind == Kind.STS_ASSUME_ROLE) {
            g.writeStartObject();
            Keys.object(g, Keys.CREDENTIALS);
            Keys.str(g, Keys.ACCESS_KEY_ID, sessionAccessKeyId);
            Keys.str(g, Keys.EXPIRATION, TimeText.deletionDate(time + 3600));
            Keys.str(g, Keys.SESSION_TOKEN, "IQoJb3JpZ2luX2Vj" + sharedEventId + "==");
            g.writeEndObject();
            Keys.object(g, Keys.ASSUMED_ROLE_USER);
            Keys.str(g, Keys.ASSUMED_ROLE_ID, "AROA" + sessionAccessKeyId.substring(4) + ":" + roleSessionName);
            Keys.str(g, Keys.ARN, assumedRoleArn);
            g.writeEndObject();
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        if (kind == Kind.S3_GET_OBJECT || kind == Kind.S3_LIST_OBJECTS) {
            Keys.object(g, Keys.ADDITIONAL_EVENT_DATA);
            Keys.str(g, Keys.SIGNATURE_VERSION, "SigV4");
            Keys.str(g, Keys.S3_CIPHER_SUITE, "TLS_AES_128_GCM_SHA256");
            Keys.num(g, Keys.BYTES_TRANSFERRED_IN, 0);
            Keys.str(g, Keys.AUTHENTICATION_METHOD, "AuthHeader");
            Keys.str(g, Keys.X_AMZ_ID_2, amzId2);
            Keys.num(g, Keys.BYTES_TRANSFERRED_OUT, bytesTransferredOut);
            g.writeEndObject();
        }
        Keys.str(g, Keys.REQUEST_ID, requestId);
        Keys.str(g, Keys.EVENT_ID, eventId);
        Keys.bool(g, Keys.READ_ONLY, kind != Kind.LAMBDA_INVOKE);
        writeResources(g, account, region);
        Keys.str(g, Keys.EVENT_TYPE, "AwsApiCall");
        Keys.bool(g, Keys.MANAGEMENT_EVENT, !data);
        Keys.str(g, Keys.RECIPIENT_ACCOUNT_ID, account);
        if (kind == Kind.STS_ASSUME_ROLE) {
            Keys.str(g, Keys.SHARED_EVENT_ID, sharedEventId);
        }
        Keys.str(g, Keys.EVENT_CATEGORY, data ? "Data" : "Management");
        if (!viaSecretsManager && principal.usesTls()) {
            text.writeTls(g, service(), region, tlsVariant);
        }
        g.writeEndObject();
    }

    private void writeResources(JsonGenerator g, String account, String region) throws IOException {
        switch (kind) {
            case S3_GET_OBJECT, S3_LIST_OBJECTS -> {
                Keys.array(g, Keys.RESOURCES);
                if (kind == Kind.S3_GET_OBJECT) {
                    g.writeStartObject();
                    Keys.str(g, Keys.TYPE, "AWS::S3::Object");
                    Keys.str(g, Keys.RESOURCE_ARN, "arn:aws:s3:::" + bucket + "/" + objectKeyOrPrefix);
                    g.writeEndObject();
                }
                g.writeStartObject();
                Keys.str(g, Keys.ACCOUNT_ID, account);
                Keys.str(g, Keys.TYPE, "AWS::S3::Bucket");
                Keys.str(g, Keys.RESOURCE_ARN, "arn:aws:s3:::" + bucket);
                g.writeEndObject();
                g.writeEndArray();
            }
            case STS_ASSUME_ROLE -> {
                Keys.array(g, Keys.RESOURCES);
                g.writeStartObject();
                Keys.str(g, Keys.RESOURCE_ARN, roleArn);
                Keys.str(g, Keys.ACCOUNT_ID, account);
                Keys.str(g, Keys.TYPE, "AWS::IAM::Role");
                g.writeEndObject();
                g.writeEndArray();
            }
            case KMS_DECRYPT -> {
                Keys.array(g, Keys.RESOURCES);
                g.writeStartObject();
                Keys.str(g, Keys.ACCOUNT_ID, account);
                Keys.str(g, Keys.TYPE, "AWS::KMS::Key");
                Keys.str(g, Keys.RESOURCE_ARN, "arn:aws:kms:" + region + ":" + account + ":key/" + kmsKeyId);
                g.writeEndObject();
                g.writeEndArray();
            }
            case LAMBDA_INVOKE -> {
                Keys.array(g, Keys.RESOURCES);
                g.writeStartObject();
                Keys.str(g, Keys.ACCOUNT_ID, account);
                Keys.str(g, Keys.TYPE, "AWS::Lambda::Function");
                Keys.str(
                        g, Keys.RESOURCE_ARN, "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName);
                g.writeEndObject();
                g.writeEndArray();
            }
            default -> {}
        }
    }
}
