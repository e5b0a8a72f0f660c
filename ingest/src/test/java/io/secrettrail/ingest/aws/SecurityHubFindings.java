package io.secrettrail.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link FakeAws}'s Security Hub: the findings {@code BatchImportFindings} ({@code POST /findings/import}) took,
 * per account and region, one per {@code Id} as in Security Hub (a re-import with a later {@code UpdatedAt} updates it,
 * one with the same or an earlier one is ignored). Checks what
 * the API reference documents: at most 100 findings a request (else 400 {@code InvalidInputException}), the
 * required ASFF attributes, and that the caller is the account a finding names ({@code AwsAccountId}, and the
 * account of a custom integration's {@code product/ACCOUNT/default}); a finding failing them is answered in
 * {@code FailedFindings}, the others are imported.
 */
public final class SecurityHubFindings {
    /** BatchImportFindings takes at most this many findings a request. */
    public static final int MAX_FINDINGS = 100;

    static final List<String> REQUIRED = List.of(
            "SchemaVersion",
            "Id",
            "ProductArn",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Resources");

    private static final Set<String> RECORD_STATES = Set.of("ACTIVE", "ARCHIVED");
    private static final Set<String> LABELS = Set.of("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL");

    /** account/region -> Id -> the finding as last imported. */
    private final Map<String, Map<String, JsonNode>> findings = new ConcurrentHashMap<>();

    /** The finding of this Id in an account and region, as last imported, or null. */
    public JsonNode get(String account, String region, String id) {
        return findings.getOrDefault(account + "/" + region, Map.of()).get(id);
    }

    /** How many distinct findings an account holds in a region. */
    public int size(String account, String region) {
        return findings.getOrDefault(account + "/" + region, Map.of()).size();
    }

    /** A request's refusal as a whole: status, error code and message. */
    record Refusal(int status, String code, String message) {}

    /** Why a whole request is refused, or null: the body's shape and the batch's size. */
    static Refusal check(JsonNode body) {
        JsonNode list = body == null ? null : body.get("Findings");
        if (list == null || !list.isArray()) {
            return new Refusal(400, "InvalidInputException", "Findings: a list of ASFF findings is required");
        }
        if (list.size() > MAX_FINDINGS) {
            return new Refusal(
                    400,
                    "InvalidInputException",
                    "Invalid parameter 'Findings'. data.Findings should NOT have more than " + MAX_FINDINGS + " items");
        }
        return null;
    }

    /** Imports what it may as {@code caller} and answers as Security Hub does: counts and the failed findings. */
    synchronized ObjectNode importAs(String caller, String region, JsonNode body) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode failed = JsonNodeFactory.instance.arrayNode();
        int ok = 0;
        List<JsonNode> accepted = new ArrayList<>();
        for (JsonNode f : body.get("Findings")) {
            String problem = problem(f, caller);
            if (problem == null) {
                accepted.add(f);
                ok++;
            } else {
                failed.addObject()
                        .put("Id", f.path("Id").asText(""))
                        .put("ErrorCode", problem.startsWith("AccessDenied") ? "AccessDeniedException" : "InvalidInput")
                        .put("ErrorMessage", problem);
            }
        }
        Map<String, JsonNode> mine = findings.computeIfAbsent(caller + "/" + region, k -> new ConcurrentHashMap<>());
        // an update whose UpdatedAt is not after the finding's is ignored (and still counted a success)
        accepted.forEach(f ->
                mine.merge(f.get("Id").asText(), f, (was, now) -> updatedAt(now).isAfter(updatedAt(was)) ? now : was));
        out.put("FailedCount", failed.size());
        out.put("SuccessCount", ok);
        out.set("FailedFindings", failed);
        return out;
    }

    private static java.time.Instant updatedAt(JsonNode f) {
        return java.time.Instant.parse(f.get("UpdatedAt").asText());
    }

    private static String problem(JsonNode f, String caller) {
        for (String field : REQUIRED) {
            if (!f.hasNonNull(field)) {
                return "Finding does not have a required attribute: " + field;
            }
        }
        if (!"2018-10-08".equals(f.get("SchemaVersion").asText())) {
            return "SchemaVersion: unsupported " + f.get("SchemaVersion").asText();
        }
        try {
            updatedAt(f);
        } catch (java.time.format.DateTimeParseException e) {
            return "UpdatedAt: not an ISO 8601 timestamp";
        }
        if (!LABELS.contains(f.at("/Severity/Label").asText())) {
            return "Severity.Label: must be one of " + LABELS;
        }
        if (f.has("RecordState") && !RECORD_STATES.contains(f.get("RecordState").asText())) {
            return "RecordState: must be ACTIVE or ARCHIVED";
        }
        if (!f.get("Resources").isArray() || f.get("Resources").isEmpty()) {
            return "Resources: at least one resource is required";
        }
        String account = f.get("AwsAccountId").asText();
        String product = f.get("ProductArn").asText();
        if (!account.equals(caller) || !product.endsWith(":" + caller + ":product/" + caller + "/default")) {
            return "AccessDenied: account " + caller + " is not authorized to import findings of account " + account
                    + " into " + product;
        }
        return null;
    }
}
