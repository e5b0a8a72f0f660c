package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * One caller identity with everything precomputed that its userIdentity block needs, so that
 * writing a record only copies strings.
 */
final class Principal {
    enum Type {
        ASSUMED_ROLE,
        IAM_USER,
        ROOT,
        AWS_SERVICE
    }

    final int index;
    final Type type;
    /** Index into {@link Topology#ACCOUNTS}. */
    final int accountIndex;

    final String accountId;
    /** The caller as the truth counts it: issuer role ARN, user ARN, root ARN or service name. */
    final String callerKey;

    final String name;
    final String principalId;
    final String accessKeyId;
    /** Role session names (assumed roles only, else null); a call picks one by index. */
    final String[] sessionNames;

    final String[] sessionArns;
    final String[] sourceIps;
    final String[] userAgents;
    /** Reads another account's secrets, which only works through the full ARN. */
    final boolean crossAccount;

    final boolean admin;

    Principal(
            int index,
            Type type,
            int accountIndex,
            String callerKey,
            String name,
            String principalId,
            String accessKeyId,
            String[] sessionNames,
            String[] sessionArns,
            String[] sourceIps,
            String[] userAgents,
            boolean crossAccount,
            boolean admin) {
        this.index = index;
        this.type = type;
        this.accountIndex = accountIndex;
        this.accountId = Topology.ACCOUNTS.get(accountIndex);
        this.callerKey = callerKey;
        this.name = name;
        this.principalId = principalId;
        this.accessKeyId = accessKeyId;
        this.sessionNames = sessionNames;
        this.sessionArns = sessionArns;
        this.sourceIps = sourceIps;
        this.userAgents = userAgents;
        this.crossAccount = crossAccount;
        this.admin = admin;
    }

    boolean canBeDenied() {
        return type == Type.ASSUMED_ROLE || type == Type.IAM_USER;
    }

    boolean usesTls() {
        return type != Type.AWS_SERVICE;
    }

    /** The ARN an AccessDenied message names. */
    String callerArn(int sessionIndex) {
        return type == Type.ASSUMED_ROLE ? sessionArns[sessionIndex] : callerKey;
    }

    /**
     * Writes the "userIdentity" field. {@code invokedBy} marks calls a service made on the
     * caller's behalf (KMS Decrypt for Secrets Manager).
     */
    void writeIdentity(JsonGenerator g, int sessionIndex, String creationDate, String invokedBy) throws IOException {
        g.writeFieldName(Keys.USER_IDENTITY);
        g.writeStartObject();
        switch (type) {
            case ASSUMED_ROLE -> {
                Keys.str(g, Keys.TYPE, "AssumedRole");
                Keys.str(g, Keys.PRINCIPAL_ID, principalId + ":" + sessionNames[sessionIndex]);
                Keys.str(g, Keys.ARN, sessionArns[sessionIndex]);
                Keys.str(g, Keys.ACCOUNT_ID, accountId);
                Keys.str(g, Keys.ACCESS_KEY_ID, accessKeyId);
                Keys.object(g, Keys.SESSION_CONTEXT);
                Keys.object(g, Keys.SESSION_ISSUER);
                Keys.str(g, Keys.TYPE, "Role");
                Keys.str(g, Keys.PRINCIPAL_ID, principalId);
                Keys.str(g, Keys.ARN, callerKey);
                Keys.str(g, Keys.ACCOUNT_ID, accountId);
                Keys.str(g, Keys.USER_NAME, name);
                g.writeEndObject();
                Keys.object(g, Keys.ATTRIBUTES);
                Keys.str(g, Keys.CREATION_DATE, creationDate);
                Keys.str(g, Keys.MFA_AUTHENTICATED, "false");
                g.writeEndObject();
                g.writeEndObject();
            }
            case IAM_USER -> {
                Keys.str(g, Keys.TYPE, "IAMUser");
                Keys.str(g, Keys.PRINCIPAL_ID, principalId);
                Keys.str(g, Keys.ARN, callerKey);
                Keys.str(g, Keys.ACCOUNT_ID, accountId);
                Keys.str(g, Keys.ACCESS_KEY_ID, accessKeyId);
                Keys.str(g, Keys.USER_NAME, name);
            }
            case ROOT -> {
                Keys.str(g, Keys.TYPE, "Root");
                Keys.str(g, Keys.PRINCIPAL_ID, accountId);
                Keys.str(g, Keys.ARN, callerKey);
                Keys.str(g, Keys.ACCOUNT_ID, accountId);
                Keys.str(g, Keys.ACCESS_KEY_ID, accessKeyId);
                Keys.object(g, Keys.SESSION_CONTEXT);
                Keys.object(g, Keys.ATTRIBUTES);
                Keys.str(g, Keys.CREATION_DATE, creationDate);
                Keys.str(g, Keys.MFA_AUTHENTICATED, "true");
                g.writeEndObject();
                g.writeEndObject();
            }
            case AWS_SERVICE -> {
                Keys.str(g, Keys.TYPE, "AWSService");
                Keys.str(g, Keys.INVOKED_BY, callerKey);
            }
        }
        if (invokedBy != null) {
            Keys.str(g, Keys.INVOKED_BY, invokedBy);
        }
        g.writeEndObject();
    }
}
