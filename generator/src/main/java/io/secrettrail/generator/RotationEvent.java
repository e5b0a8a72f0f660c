package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** An AwsServiceEvent Secrets Manager records while it rotates a secret. */
final class RotationEvent implements SecretsManagerRecord {
    private static final String SERVICE = "secretsmanager.amazonaws.com";

    final EventName event;
    final long time;
    final SyntheticSecret secret;
    final SyntheticSecret[] namedSecrets;
    final String eventId;
    final String requestId;
    final String errorMessage;

    RotationEvent(
            EventName event,
            long time,
            SyntheticSecret secret,
            String eventId,
            String requestUuid,
            String errorMessage) {
        this.event = event;
        this.time = time;
        this.secret = secret;
        this.namedSecrets = new SyntheticSecret[] {secret};
        this.eventId = eventId;
        this.requestId = "Rotation-" + secret.fullArn + "-" + requestUuid;
        this.errorMessage = errorMessage;
    }

    @Override
    public long time() {
        return time;
    }

    @Override
    public int accountRegion() {
        return secret.accountRegion;
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
        return null;
    }

    /** RotationFailed carries an errorMessage but, as in real trails, no errorCode. */
    @Override
    public boolean failed() {
        return false;
    }

    @Override
    public void write(JsonGenerator g, RecordText text) throws IOException {
        g.writeStartObject();
        Keys.str(g, Keys.EVENT_VERSION, "1.09");
        Keys.object(g, Keys.USER_IDENTITY);
        Keys.str(g, Keys.ACCOUNT_ID, secret.accountId);
        Keys.str(g, Keys.INVOKED_BY, SERVICE);
        g.writeEndObject();
        Keys.str(g, Keys.EVENT_TIME, text.eventTime(time));
        Keys.str(g, Keys.EVENT_SOURCE, SERVICE);
        Keys.str(g, Keys.EVENT_NAME, event.name());
        Keys.str(g, Keys.AWS_REGION, secret.region);
        Keys.str(g, Keys.SOURCE_IPADDRESS, SERVICE);
        Keys.str(g, Keys.USER_AGENT, SERVICE);
        if (errorMessage != null) {
            Keys.str(g, Keys.ERROR_MESSAGE, errorMessage);
        }
        Keys.nul(g, Keys.REQUEST_PARAMETERS);
        Keys.nul(g, Keys.RESPONSE_ELEMENTS);
        Keys.object(g, Keys.ADDITIONAL_EVENT_DATA);
        Keys.str(g, Keys.EVENT_DATA_SECRET_ID, secret.fullArn);
        g.writeEndObject();
        Keys.str(g, Keys.REQUEST_ID, requestId);
        Keys.str(g, Keys.EVENT_ID, eventId);
        Keys.bool(g, Keys.READ_ONLY, false);
        Keys.str(g, Keys.EVENT_TYPE, "AwsServiceEvent");
        Keys.bool(g, Keys.MANAGEMENT_EVENT, true);
        Keys.str(g, Keys.RECIPIENT_ACCOUNT_ID, secret.accountId);
        Keys.str(g, Keys.EVENT_CATEGORY, "Management");
        g.writeEndObject();
    }
}
