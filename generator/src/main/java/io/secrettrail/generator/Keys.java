package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * Field names of CloudTrail records, encoded once: records repeat the same ~35 names, and
 * pre-encoded names skip Jackson's per-character escaping on the hot path.
 */
final class Keys {
    static final SerializedString ACCESS_KEY_ID = new SerializedString("accessKeyId");
    static final SerializedString ACCOUNT_ID = new SerializedString("accountId");
    static final SerializedString ADDITIONAL_EVENT_DATA = new SerializedString("additionalEventData");
    static final SerializedString ARN = new SerializedString("arn");
    /** The upper-case spelling used inside "resources". */
    static final SerializedString RESOURCE_ARN = new SerializedString("ARN");

    static final SerializedString ASSUMED_ROLE_ID = new SerializedString("assumedRoleId");
    static final SerializedString ASSUMED_ROLE_USER = new SerializedString("assumedRoleUser");
    static final SerializedString ATTRIBUTES = new SerializedString("attributes");
    static final SerializedString ATTRIBUTE_KEY = new SerializedString("attributeKey");
    static final SerializedString ATTRIBUTE_VALUE = new SerializedString("attributeValue");
    static final SerializedString AUTHENTICATION_METHOD = new SerializedString("AuthenticationMethod");
    static final SerializedString AWS_EBS_ID = new SerializedString("aws:ebs:id");
    static final SerializedString AWS_REGION = new SerializedString("awsRegion");
    static final SerializedString A_RN = new SerializedString("aRN");
    static final SerializedString BLOCK_PUBLIC_POLICY = new SerializedString("blockPublicPolicy");
    static final SerializedString BUCKET_NAME = new SerializedString("bucketName");
    static final SerializedString BYTES_TRANSFERRED_IN = new SerializedString("bytesTransferredIn");
    static final SerializedString BYTES_TRANSFERRED_OUT = new SerializedString("bytesTransferredOut");
    static final SerializedString CIPHER_SUITE = new SerializedString("cipherSuite");
    /** S3 capitalises it in additionalEventData. */
    static final SerializedString S3_CIPHER_SUITE = new SerializedString("CipherSuite");

    static final SerializedString CLIENT_PROVIDED_HOST_HEADER = new SerializedString("clientProvidedHostHeader");
    static final SerializedString CLIENT_REQUEST_TOKEN = new SerializedString("clientRequestToken");
    static final SerializedString CREATION_DATE = new SerializedString("creationDate");
    static final SerializedString CREDENTIALS = new SerializedString("credentials");
    static final SerializedString DELETION_DATE = new SerializedString("deletionDate");
    static final SerializedString DESCRIPTION = new SerializedString("description");
    static final SerializedString DURATION_SECONDS = new SerializedString("durationSeconds");
    static final SerializedString ENCRYPTION_ALGORITHM = new SerializedString("encryptionAlgorithm");
    static final SerializedString ENCRYPTION_CONTEXT = new SerializedString("encryptionContext");
    static final SerializedString ERROR_CODE = new SerializedString("errorCode");
    static final SerializedString ERROR_MESSAGE = new SerializedString("errorMessage");
    static final SerializedString EVENT_CATEGORY = new SerializedString("eventCategory");
    static final SerializedString EVENT_ID = new SerializedString("eventID");
    static final SerializedString EVENT_NAME = new SerializedString("eventName");
    static final SerializedString EVENT_SOURCE = new SerializedString("eventSource");
    static final SerializedString EVENT_TIME = new SerializedString("eventTime");
    static final SerializedString EVENT_TYPE = new SerializedString("eventType");
    static final SerializedString EVENT_VERSION = new SerializedString("eventVersion");
    static final SerializedString EXCLUDE_PUNCTUATION = new SerializedString("excludePunctuation");
    static final SerializedString EXPIRATION = new SerializedString("expiration");
    static final SerializedString FILTERS = new SerializedString("filters");
    static final SerializedString FILTER_SET = new SerializedString("filterSet");
    static final SerializedString FORCE_DELETE_WITHOUT_RECOVERY = new SerializedString("forceDeleteWithoutRecovery");
    static final SerializedString FUNCTION_NAME = new SerializedString("functionName");
    static final SerializedString HOST = new SerializedString("Host");
    static final SerializedString INCLUDE_DEPRECATED = new SerializedString("includeDeprecated");
    static final SerializedString INCLUDE_PLANNED_DELETION = new SerializedString("includePlannedDeletion");
    static final SerializedString INSTANCES_SET = new SerializedString("instancesSet");
    static final SerializedString INSTANCE_ID = new SerializedString("instanceId");
    static final SerializedString INVOCATION_TYPE = new SerializedString("invocationType");
    static final SerializedString INVOKED_BY = new SerializedString("invokedBy");
    static final SerializedString ITEMS = new SerializedString("items");
    static final SerializedString KEY = new SerializedString("key");
    static final SerializedString LIST_TYPE = new SerializedString("list-type");
    static final SerializedString LOOKUP_ATTRIBUTES = new SerializedString("lookupAttributes");
    static final SerializedString MANAGEMENT_EVENT = new SerializedString("managementEvent");
    static final SerializedString MAX_KEYS = new SerializedString("max-keys");
    static final SerializedString MAX_RESULTS = new SerializedString("maxResults");
    static final SerializedString MFA_AUTHENTICATED = new SerializedString("mfaAuthenticated");
    static final SerializedString NAME = new SerializedString("name");
    static final SerializedString PASSWORD_LENGTH = new SerializedString("passwordLength");
    static final SerializedString PREFIX = new SerializedString("prefix");
    static final SerializedString PRINCIPAL_ID = new SerializedString("principalId");
    static final SerializedString READ_ONLY = new SerializedString("readOnly");
    static final SerializedString RECIPIENT_ACCOUNT_ID = new SerializedString("recipientAccountId");
    static final SerializedString RECOVERY_WINDOW_IN_DAYS = new SerializedString("recoveryWindowInDays");
    static final SerializedString REQUEST_ID = new SerializedString("requestID");
    static final SerializedString REQUEST_PARAMETERS = new SerializedString("requestParameters");
    static final SerializedString RESOURCES = new SerializedString("resources");
    static final SerializedString RESOURCE_POLICY = new SerializedString("resourcePolicy");
    static final SerializedString RESPONSE_ELEMENTS = new SerializedString("responseElements");
    static final SerializedString ROLE_ARN = new SerializedString("roleArn");
    static final SerializedString ROLE_SESSION_NAME = new SerializedString("roleSessionName");
    static final SerializedString ROTATE_IMMEDIATELY = new SerializedString("rotateImmediately");
    static final SerializedString SECRET_ARN = new SerializedString("SecretARN");
    static final SerializedString SECRET_ID = new SerializedString("secretId");
    /** The capitalised spelling used in additionalEventData. */
    static final SerializedString EVENT_DATA_SECRET_ID = new SerializedString("SecretId");

    static final SerializedString SECRET_ID_LIST = new SerializedString("secretIdList");
    static final SerializedString SECRET_STRING = new SerializedString("secretString");
    static final SerializedString SECRET_VERSION_ID = new SerializedString("SecretVersionId");
    static final SerializedString SESSION_CONTEXT = new SerializedString("sessionContext");
    static final SerializedString SESSION_ISSUER = new SerializedString("sessionIssuer");
    static final SerializedString SESSION_TOKEN = new SerializedString("sessionToken");
    static final SerializedString SHARED_EVENT_ID = new SerializedString("sharedEventID");
    static final SerializedString SIGNATURE_VERSION = new SerializedString("SignatureVersion");
    static final SerializedString SOURCE_IPADDRESS = new SerializedString("sourceIPAddress");
    static final SerializedString TAGS = new SerializedString("tags");
    static final SerializedString TLS_DETAILS = new SerializedString("tlsDetails");
    static final SerializedString TLS_VERSION = new SerializedString("tlsVersion");
    static final SerializedString TYPE = new SerializedString("type");
    static final SerializedString USER_AGENT = new SerializedString("userAgent");
    static final SerializedString USER_IDENTITY = new SerializedString("userIdentity");
    static final SerializedString USER_NAME = new SerializedString("userName");
    static final SerializedString VALUE = new SerializedString("value");
    static final SerializedString VALUES = new SerializedString("values");
    static final SerializedString VERSION_ID = new SerializedString("versionId");
    static final SerializedString VERSION_STAGE = new SerializedString("versionStage");
    static final SerializedString VERSION_STAGES = new SerializedString("versionStages");
    static final SerializedString X_AMZ_ID_2 = new SerializedString("x-amz-id-2");

    private Keys() {}

    static void str(JsonGenerator g, SerializedString name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    static void bool(JsonGenerator g, SerializedString name, boolean value) throws IOException {
        g.writeFieldName(name);
        g.writeBoolean(value);
    }

    static void num(JsonGenerator g, SerializedString name, long value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    static void nul(JsonGenerator g, SerializedString name) throws IOException {
        g.writeFieldName(name);
        g.writeNull();
    }

    static void object(JsonGenerator g, SerializedString name) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
    }

    static void array(JsonGenerator g, SerializedString name) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
    }
}
