package io.secrettrail.core.event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The few fields of a record beyond the columns that a rule, the evidence or the snapshot reads, taken
 * at decode so the store keeps them as columns and never needs the raw record. Each is as DuckDB's
 * {@code json_extract_string} gives it (a string as is, any other value as its JSON text, null when
 * absent or JSON null), except {@link #filters} and {@link #resourcePolicy}, which are the field's JSON
 * (as {@code json_extract}): an upgraded database backfills them from its raw column with those
 * functions, so old and new rows answer alike.
 *
 * @param accessKeyId {@code userIdentity.accessKeyId}
 * @param sourceIdentity {@code userIdentity.sessionContext.sourceIdentity}
 * @param vpcEndpointId {@code vpcEndpointId}
 * @param versionId {@code responseElements.versionId} (an UpdateSecret that wrote a version)
 * @param forceDelete {@code requestParameters.forceDeleteWithoutRecovery}
 * @param recoveryWindowDays {@code requestParameters.recoveryWindowInDays}
 * @param filters {@code requestParameters.filters} as JSON (a BatchGetSecretValue by filters)
 * @param resourcePolicy {@code requestParameters.resourcePolicy} as JSON (a PutResourcePolicy)
 * @param requestedTrail {@code requestParameters.name}, else {@code requestParameters.trailName} (a logging change)
 * @param trailArn {@code responseElements.trailARN} (a logging change)
 */
public record EventDetails(
        String accessKeyId,
        String sourceIdentity,
        String vpcEndpointId,
        String versionId,
        String forceDelete,
        String recoveryWindowDays,
        String filters,
        String resourcePolicy,
        String requestedTrail,
        String trailArn) {

    /** None of the fields: an event built by hand, or from stored columns. */
    public static final EventDetails NONE =
            new EventDetails(null, null, null, null, null, null, null, null, null, null);

    /** Reads the fields from an event object (projected, or the whole record); never throws. */
    static EventDetails of(JsonNode event) {
        JsonNode identity = event.path("userIdentity");
        JsonNode request = event.path("requestParameters");
        JsonNode response = event.path("responseElements");
        String name = text(request.path("name"));
        return new EventDetails(
                text(identity.path("accessKeyId")),
                text(identity.path("sessionContext").path("sourceIdentity")),
                text(event.path("vpcEndpointId")),
                text(response.path("versionId")),
                text(request.path("forceDeleteWithoutRecovery")),
                text(request.path("recoveryWindowInDays")),
                json(request.path("filters")),
                json(request.path("resourcePolicy")),
                name != null ? name : text(request.path("trailName")),
                text(response.path("trailARN")));
    }

    private static String text(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.asText() : n.toString();
    }

    private static String json(JsonNode n) {
        return n.isMissingNode() ? null : n.toString();
    }
}
