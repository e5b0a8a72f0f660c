package io.secrettrail.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the columns of a Secrets Manager event from its JSON tree, checking every field it uses
 * for type. Fields SecretTrail does not use are kept in the raw record and never checked.
 */
public final class EventParser {

    /**
     * @param event the event object (already unwrapped from an EventBridge envelope)
     * @param raw the sanitised original bytes to keep beside the columns
     * @throws FieldException naming the first field that is missing or of the wrong type
     */
    public CloudTrailEvent parse(JsonNode event, byte[] raw) throws FieldException {
        return parse(event, raw, false);
    }

    /**
     * @param carriedValue the request held a secret value that was dropped from {@code event} and {@code raw}
     * @see CloudTrailEvent#carriedValue()
     */
    public CloudTrailEvent parse(JsonNode event, byte[] raw, boolean carriedValue) throws FieldException {
        String eventId = optionalText(event, "eventID");
        if (eventId == null || eventId.isEmpty()) {
            // Partial exports drop eventID; the same record delivered twice must still dedupe.
            eventId = contentId(raw);
        }
        String timeText = requiredText(event, "eventTime");
        Instant time;
        try {
            time = Times.parse(timeText);
        } catch (java.time.DateTimeException e) {
            throw new FieldException("eventTime", "expected an ISO-8601 time, found \"" + abbreviate(timeText) + "\"");
        }
        if (!Times.storable(time)) {
            // Stored as is, it would stop analytics on every restart ("long overflow").
            throw new FieldException(
                    "eventTime",
                    "outside the accepted range " + Times.RANGE + ", found \"" + abbreviate(timeText) + "\"");
        }
        String source = requiredText(event, "eventSource");
        String name = requiredText(event, "eventName");
        String type = optionalText(event, "eventType");
        String region = optionalText(event, "awsRegion");
        JsonNode identity = optionalObject(event, "userIdentity");
        String account = optionalText(event, "recipientAccountId");
        if (account == null && identity != null) {
            account = optionalText(identity, "accountId", "userIdentity.accountId");
        }
        JsonNode request = optionalObject(event, "requestParameters");
        JsonNode response = optionalObject(event, "responseElements");
        JsonNode additional = optionalObject(event, "additionalEventData");

        List<CloudTrailEvent.SecretId> ids = new ArrayList<>(1);
        boolean filterBatch = false;
        if (CloudTrailEvent.KMS.equals(source)) {
            // Secrets Manager writes the secret's ARN into the encryption context of every KMS request it makes
            String secretArn = kmsSecretArn(event);
            if (secretArn == null) {
                throw new FieldException(KMS_SECRET_ARN, "missing");
            }
            ids.add(new CloudTrailEvent.SecretId(secretArn, KMS_SECRET_ARN));
        } else if (request != null
                && request.has("secretIdList")
                && !request.get("secretIdList").isNull()) {
            JsonNode list = request.get("secretIdList");
            if (!list.isArray()) {
                throw new FieldException(
                        "requestParameters.secretIdList", "expected an array of strings, found " + kind(list));
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                if (!item.isTextual() || item.asText().isEmpty()) {
                    throw new FieldException(
                            "requestParameters.secretIdList[" + i + "]",
                            "expected a secret id string, found " + kind(item));
                }
                ids.add(new CloudTrailEvent.SecretId(item.asText(), "requestParameters.secretIdList"));
            }
        } else {
            addId(ids, additional, "SecretId", "additionalEventData.SecretId");
            addId(ids, response, "arn", "responseElements.arn");
            addId(ids, response, "aRN", "responseElements.aRN");
            addId(ids, request, "secretId", "requestParameters.secretId");
            if ("CreateSecret".equals(name)) {
                addId(ids, request, "name", "requestParameters.name");
            }
            filterBatch = "BatchGetSecretValue".equals(name) && ids.isEmpty();
        }
        return new CloudTrailEvent(
                eventId,
                time,
                source,
                name,
                type,
                region,
                account,
                optionalText(event, "errorCode"),
                optionalText(event, "errorMessage"),
                principal(identity),
                optionalText(event, "sourceIPAddress"),
                optionalText(event, "userAgent"),
                List.copyOf(ids),
                filterBatch,
                carriedValue,
                raw,
                optionalText(event, "requestID"),
                EventDetails.of(event));
    }

    /** Where a KMS request made for a secret names it. */
    public static final String KMS_SECRET_ARN = "requestParameters.encryptionContext.SecretARN";

    /** The longest {@code SecretARN} a KMS request is kept with: far above any real ARN (name ≤ 512). */
    static final int MAX_KMS_SECRET_ARN = 2048;

    /**
     * The secret a KMS request was made for: {@code requestParameters.encryptionContext.SecretARN} when Secrets
     * Manager made the request ({@code userIdentity.invokedBy} is secretsmanager.amazonaws.com) and the value is a
     * Secrets Manager ARN of at most {@link #MAX_KMS_SECRET_ARN} characters; else null (a KMS request for
     * something else, or one any IAM identity made itself with an encryption context of its choosing, which
     * would otherwise move a secret's key, fee and request count). Never throws: it decides whether the record is
     * kept at all.
     */
    public static String kmsSecretArn(JsonNode event) {
        if (!"secretsmanager.amazonaws.com"
                .equals(event.path("userIdentity").path("invokedBy").asText(null))) {
            return null;
        }
        JsonNode v = event.path("requestParameters").path("encryptionContext").path("SecretARN");
        if (!v.isTextual()) {
            return null;
        }
        String arn = v.asText();
        return arn.length() <= MAX_KMS_SECRET_ARN && arn.startsWith("arn:") && arn.contains(":secretsmanager:")
                ? arn
                : null;
    }

    static String contentId(byte[] raw) {
        try {
            return "sha256:"
                    + java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(raw));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The stable caller key: see {@link Principal}. */
    static Principal principal(JsonNode identity) throws FieldException {
        if (identity == null) {
            return Principal.UNKNOWN;
        }
        String type = optionalText(identity, "type", "userIdentity.type");
        String arn = optionalText(identity, "arn", "userIdentity.arn");
        String invokedBy = optionalText(identity, "invokedBy", "userIdentity.invokedBy");
        String account = optionalText(identity, "accountId", "userIdentity.accountId");
        JsonNode context = identity.get("sessionContext");
        JsonNode issuer = context == null ? null : context.get("sessionIssuer");
        String issuerArn = issuer != null && issuer.isObject()
                ? optionalText(issuer, "arn", "userIdentity.sessionContext.sessionIssuer.arn")
                : null;
        String key;
        if ("Root".equals(type)) {
            key = account != null ? "arn:aws:iam::" + account + ":root" : arn;
        } else if (issuerArn != null) {
            key = issuerArn;
        } else if ("AssumedRole".equals(type) && arn != null) {
            key = roleOfSession(arn);
        } else if (arn != null) {
            key = arn;
        } else if (invokedBy != null) {
            key = invokedBy;
        } else if ("AWSAccount".equals(type) && account != null) {
            key = "arn:aws:iam::" + account + ":root";
        } else {
            key = optionalText(identity, "principalId", "userIdentity.principalId");
        }
        return new Principal(key, type, arn);
    }

    /** {@code arn:aws:sts::1:assumed-role/Role/session} to {@code arn:aws:iam::1:role/Role} (the path is not in a session ARN). */
    static String roleOfSession(String sessionArn) {
        int at = sessionArn.indexOf(":assumed-role/");
        if (!sessionArn.startsWith("arn:") || at < 0) {
            return sessionArn;
        }
        String head = sessionArn.substring(0, at).replaceFirst(":sts:", ":iam:");
        String rest = sessionArn.substring(at + ":assumed-role/".length());
        int slash = rest.indexOf('/');
        return head + ":role/" + (slash < 0 ? rest : rest.substring(0, slash));
    }

    private static void addId(List<CloudTrailEvent.SecretId> ids, JsonNode parent, String field, String path)
            throws FieldException {
        String v = parent == null ? null : optionalText(parent, field, path);
        if (v != null && !v.isEmpty()) {
            ids.add(new CloudTrailEvent.SecretId(v, path));
        }
    }

    private static String requiredText(JsonNode node, String field) throws FieldException {
        String v = optionalText(node, field, field);
        if (v == null || v.isEmpty()) {
            throw new FieldException(field, "missing");
        }
        return v;
    }

    private static String optionalText(JsonNode node, String field) throws FieldException {
        return optionalText(node, field, field);
    }

    private static String optionalText(JsonNode node, String field, String path) throws FieldException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new FieldException(path, "expected a string, found " + kind(v));
        }
        return v.asText();
    }

    private static JsonNode optionalObject(JsonNode node, String field) throws FieldException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            // AWS documents requestParameters/responseElements as objects; a few services log
            // strings there, which name no secret.
            if (v.isTextual()) {
                return null;
            }
            throw new FieldException(field, "expected an object, found " + kind(v));
        }
        return v;
    }

    static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number (" + abbreviate(v.asText()) + ")";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** At most 60 characters of event text for a message, control and format characters escaped as {@code \\uXXXX}. */
    public static String abbreviate(String s) {
        return escape(s.length() <= 60 ? s : s.substring(0, 57) + "...");
    }

    /** Control, bidi and other format characters as {@code \\uXXXX}, so a message cannot forge lines or reorder text. */
    public static String escape(String s) {
        return io.secrettrail.core.Text.visible(s);
    }
}
