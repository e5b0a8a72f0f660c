package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** One Secrets Manager AwsApiCall; fields not used by its event name stay null. */
final class SecretsManagerCall implements SecretsManagerRecord {
    private static final SyntheticSecret[] NONE = new SyntheticSecret[0];

    final EventName event;
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
    String errorCode;
    String errorMessage;
    SyntheticSecret[] namedSecrets = NONE;

    String secretId;
    String[] secretIdList;
    /** A filter-based BatchGetSecretValue's tag-key value. */
    String tagKeyFilter;
    /** CreateSecret's name parameter. */
    String nameToCreate;

    String clientToken;
    String secretString;
    String versionStage;
    String description;
    /** 0 means forceDeleteWithoutRecovery. */
    int recoveryDays;
    /** TagResource's value of the owner tag. */
    String ownerTagValue;

    /** PutResourcePolicy's policy document, logged as JSON text as CloudTrail does. */
    String resourcePolicy;
    /**
     * A BatchGetSecretValue by id list whose GetSecretValue entries (one per listed secret) are in
     * the trail too, as AWS writes them; the batch then adds no read of its own.
     */
    boolean entriesGenerated;

    String responseArn;
    String responseName;
    String responseVersionId;
    String deletionDate;

    SecretsManagerCall(EventName event, long time, int accountRegion, Principal principal) {
        this.event = event;
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
    public EventName event() {
        return event;
    }

    @Override
    public SyntheticSecret[] namedSecrets() {
        return namedSecrets;
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public boolean failed() {
        return errorCode != null;
    }

    @Override
    public void write(JsonGenerator g, RecordText text) throws IOException {
        String region = Topology.region(accountRegion);
        g.writeStartObject();
        Keys.str(g, Keys.EVENT_VERSION, "1.09");
        principal.writeIdentity(g, sessionIndex, text.sessionCreation(time), null);
        Keys.str(g, Keys.EVENT_TIME, text.eventTime(time));
        Keys.str(g, Keys.EVENT_SOURCE, "secretsmanager.amazonaws.com");
        Keys.str(g, Keys.EVENT_NAME, event.name());
        Keys.str(g, Keys.AWS_REGION, region);
        Keys.str(g, Keys.SOURCE_IPADDRESS, sourceIp);
        Keys.str(g, Keys.USER_AGENT, userAgent);
        if (errorCode != null) {
            Keys.str(g, Keys.ERROR_CODE, errorCode);
            Keys.str(g, Keys.ERROR_MESSAGE, errorMessage);
        }
        g.writeFieldName(Keys.REQUEST_PARAMETERS);
        writeRequest(g);
        g.writeFieldName(Keys.RESPONSE_ELEMENTS);
        if (errorCode != null) {
            g.writeNull();
        } else {
            writeResponse(g);
        }
        Keys.str(g, Keys.REQUEST_ID, requestId);
        Keys.str(g, Keys.EVENT_ID, eventId);
        Keys.bool(g, Keys.READ_ONLY, event.readOnly);
        Keys.str(g, Keys.EVENT_TYPE, "AwsApiCall");
        Keys.bool(g, Keys.MANAGEMENT_EVENT, true);
        Keys.str(g, Keys.RECIPIENT_ACCOUNT_ID, Topology.accountId(accountRegion));
        Keys.str(g, Keys.EVENT_CATEGORY, "Management");
        if (principal.usesTls()) {
            text.writeTls(g, "secretsmanager", region, tlsVariant);
        }
        g.writeEndObject();
    }

    private void writeRequest(JsonGenerator g) throws IOException {
        g.writeStartObject();
        switch (event) {
            case CreateSecret -> {
                Keys.str(g, Keys.NAME, nameToCreate);
                Keys.str(g, Keys.CLIENT_REQUEST_TOKEN, clientToken);
                Keys.str(g, Keys.DESCRIPTION, description);
            }
            case DeleteSecret -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                if (recoveryDays == 0) {
                    Keys.bool(g, Keys.FORCE_DELETE_WITHOUT_RECOVERY, true);
                } else {
                    Keys.num(g, Keys.RECOVERY_WINDOW_IN_DAYS, recoveryDays);
                }
            }
            case GetSecretValue -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                if (versionStage != null) {
                    Keys.str(g, Keys.VERSION_STAGE, versionStage);
                }
            }
            case BatchGetSecretValue -> {
                if (secretIdList != null) {
                    Keys.array(g, Keys.SECRET_ID_LIST);
                    for (String id : secretIdList) {
                        g.writeString(id);
                    }
                    g.writeEndArray();
                } else {
                    Keys.array(g, Keys.FILTERS);
                    g.writeStartObject();
                    Keys.str(g, Keys.KEY, "tag-key");
                    Keys.array(g, Keys.VALUES);
                    g.writeString(tagKeyFilter);
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeEndArray();
                }
            }
            case PutSecretValue -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                Keys.str(g, Keys.CLIENT_REQUEST_TOKEN, clientToken);
                if (secretString != null) {
                    Keys.str(g, Keys.SECRET_STRING, secretString);
                }
            }
            case UpdateSecret -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                Keys.str(g, Keys.DESCRIPTION, description);
            }
            case TagResource -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                Keys.array(g, Keys.TAGS);
                g.writeStartObject();
                Keys.str(g, Keys.KEY, "owner");
                Keys.str(g, Keys.VALUE, ownerTagValue);
                g.writeEndObject();
                g.writeEndArray();
            }
            case PutResourcePolicy -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                Keys.str(g, Keys.RESOURCE_POLICY, resourcePolicy);
                Keys.bool(g, Keys.BLOCK_PUBLIC_POLICY, false);
            }
            case ListSecretVersionIds -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                Keys.bool(g, Keys.INCLUDE_DEPRECATED, false);
            }
            case RotateSecret -> {
                Keys.str(g, Keys.SECRET_ID, secretId);
                Keys.str(g, Keys.CLIENT_REQUEST_TOKEN, clientToken);
                Keys.bool(g, Keys.ROTATE_IMMEDIATELY, true);
            }
            case ListSecrets -> {
                Keys.num(g, Keys.MAX_RESULTS, 100);
                Keys.bool(g, Keys.INCLUDE_PLANNED_DELETION, false);
            }
            case GetRandomPassword -> {
                Keys.num(g, Keys.PASSWORD_LENGTH, 32);
                Keys.bool(g, Keys.EXCLUDE_PUNCTUATION, true);
            }
            default -> Keys.str(g, Keys.SECRET_ID, secretId);
        }
        g.writeEndObject();
    }

    private void writeResponse(JsonGenerator g) throws IOException {
        switch (event) {
            case CreateSecret -> {
                g.writeStartObject();
                Keys.str(g, Keys.ARN, responseArn);
                Keys.str(g, Keys.VERSION_ID, responseVersionId);
                g.writeEndObject();
            }
            case DeleteSecret -> {
                g.writeStartObject();
                Keys.str(g, Keys.NAME, responseName);
                Keys.str(g, Keys.DELETION_DATE, deletionDate);
                // The misspelt key is what CloudTrail really records for DeleteSecret.
                Keys.str(g, Keys.A_RN, responseArn);
                g.writeEndObject();
            }
            case PutSecretValue -> {
                g.writeStartObject();
                Keys.str(g, Keys.ARN, responseArn);
                Keys.str(g, Keys.VERSION_ID, responseVersionId);
                Keys.array(g, Keys.VERSION_STAGES);
                g.writeString("AWSCURRENT");
                g.writeEndArray();
                g.writeEndObject();
            }
            case UpdateSecret -> {
                g.writeStartObject();
                Keys.str(g, Keys.ARN, responseArn);
                Keys.str(g, Keys.NAME, responseName);
                g.writeEndObject();
            }
            case PutResourcePolicy -> {
                g.writeStartObject();
                Keys.str(g, Keys.ARN, responseArn);
                Keys.str(g, Keys.NAME, responseName);
                g.writeEndObject();
            }
            case RotateSecret -> {
                g.writeStartObject();
                Keys.str(g, Keys.ARN, responseArn);
                Keys.str(g, Keys.NAME, responseName);
                Keys.str(g, Keys.VERSION_ID, responseVersionId);
                g.writeEndObject();
            }
            default -> g.writeNull();
        }
    }
}
