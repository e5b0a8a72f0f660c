package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * CloudTrail's own StopLogging call, shaped like the one in Stratus Red Team's
 * aws.defense-evasion.cloudtrail-stop detonation log: {@code requestParameters.name} names the
 * trail (here by its ARN, which the API accepts as well as the bare name) and there is no response.
 */
final class TrailControlCall implements TrailRecord {
    final long time;
    final int accountRegion;
    final Principal principal;
    final String trailArn;
    final String sourceIp;
    final String userAgent;
    final String eventId;
    final String requestId;
    final int tlsVariant;

    TrailControlCall(SecretsManagerCall like, String trailArn) {
        // The caller's details are drawn as for any call of the same principal.
        this.time = like.time;
        this.accountRegion = like.accountRegion;
        this.principal = like.principal;
        this.trailArn = trailArn;
        this.sourceIp = like.sourceIp;
        this.userAgent = like.userAgent;
        this.eventId = like.eventId;
        this.requestId = like.requestId;
        this.tlsVariant = like.tlsVariant;
    }

    static String trailArn(int accountRegion, String name) {
        return "arn:aws:cloudtrail:" + Topology.region(accountRegion) + ":" + Topology.accountId(accountRegion)
                + ":trail/" + name;
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

    @Override
    public void write(JsonGenerator g, RecordText text) throws IOException {
        String region = Topology.region(accountRegion);
        g.writeStartObject();
        Keys.str(g, Keys.EVENT_VERSION, "1.10");
        principal.writeIdentity(g, 0, text.sessionCreation(time), null);
        Keys.str(g, Keys.EVENT_TIME, text.eventTime(time));
        Keys.str(g, Keys.EVENT_SOURCE, "cloudtrail.amazonaws.com");
        Keys.str(g, Keys.EVENT_NAME, "StopLogging");
        Keys.str(g, Keys.AWS_REGION, region);
        Keys.str(g, Keys.SOURCE_IPADDRESS, sourceIp);
        Keys.str(g, Keys.USER_AGENT, userAgent);
        Keys.object(g, Keys.REQUEST_PARAMETERS);
        Keys.str(g, Keys.NAME, trailArn);
        g.writeEndObject();
        Keys.nul(g, Keys.RESPONSE_ELEMENTS);
        Keys.str(g, Keys.REQUEST_ID, requestId);
        Keys.str(g, Keys.EVENT_ID, eventId);
        Keys.bool(g, Keys.READ_ONLY, false);
        Keys.str(g, Keys.EVENT_TYPE, "AwsApiCall");
        Keys.bool(g, Keys.MANAGEMENT_EVENT, true);
        Keys.str(g, Keys.RECIPIENT_ACCOUNT_ID, Topology.accountId(accountRegion));
        Keys.str(g, Keys.EVENT_CATEGORY, "Management");
        text.writeTls(g, "cloudtrail", region, tlsVariant);
        g.writeEndObject();
    }
}
