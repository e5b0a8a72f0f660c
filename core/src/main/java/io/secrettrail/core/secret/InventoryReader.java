package io.secrettrail.core.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.Times;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.event.FieldException;
import io.secrettrail.core.event.Rejection;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the output of {@code aws secretsmanager list-secrets} ({@code {"SecretList":[...]}}), a
 * bare array of entries, or one entry per line. Dates may be epoch seconds (the API, CLI v1) or
 * ISO-8601 with an offset (CLI v2).
 */
public final class InventoryReader {
    private final ObjectMapper mapper = io.secrettrail.core.Json.mapper();

    /** Reads every entry of the file; bad entries go to {@code rejects} and reading goes on. */
    public int read(Path file, String name, Consumer<InventoryEntry> entries, Consumer<Rejection> rejects)
            throws IOException {
        int[] count = {0};
        long[] index = {0};
        JsonObjectFile.read(
                mapper,
                file,
                name,
                "the JSON output of list-secrets",
                node -> {
                    JsonNode list = node.get("SecretList");
                    if (list != null && list.isArray()) {
                        for (JsonNode e : list) {
                            count[0] += accept(e, name, ++index[0], entries, rejects);
                        }
                    } else {
                        count[0] += accept(node, name, ++index[0], entries, rejects);
                    }
                },
                () -> index[0],
                rejects);
        return count[0];
    }

    private int accept(
            JsonNode node, String name, long index, Consumer<InventoryEntry> entries, Consumer<Rejection> rejects) {
        try {
            entries.accept(parse(node));
            return 1;
        } catch (FieldException e) {
            rejects.accept(new Rejection(name, index, e.field(), e.getMessage(), new byte[0]));
            return 0;
        }
    }

    /** One SecretList entry. */
    public InventoryEntry parse(JsonNode node) throws FieldException {
        if (!node.isObject()) {
            throw new FieldException("SecretList[]", "expected an object");
        }
        ObjectNode clean = ((ObjectNode) node).deepCopy();
        // the event reader's definition, at every depth: a saved get-secret-value output has an ARN and a Name too
        io.secrettrail.core.event.SecretKeys.drop(clean);
        String arn = text(node, "ARN");
        SecretArn a = fullArn(arn);
        String name = text(node, "Name");
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode tagList = node.get("Tags");
        if (tagList != null && tagList.isArray()) {
            for (JsonNode tag : tagList) {
                String k = text(tag, "Key");
                if (k != null) {
                    tags.put(k, text(tag, "Value"));
                }
            }
        }
        JsonNode rules = node.get("RotationRules");
        Integer days = rules != null
                        && rules.has("AutomaticallyAfterDays")
                        && rules.get("AutomaticallyAfterDays").canConvertToInt()
                ? rules.get("AutomaticallyAfterDays").asInt()
                : null;
        JsonNode enabled = node.get("RotationEnabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw new FieldException("RotationEnabled", "expected a boolean");
        }
        byte[] raw;
        try {
            raw = mapper.writeValueAsBytes(clean);
        } catch (IOException e) {
            throw new FieldException(null, "cannot serialise: " + e.getMessage());
        }
        return new InventoryEntry(
                arn,
                name != null ? name : SecretArn.nameOfFull(arn),
                a.account(),
                a.region(),
                text(node, "PrimaryRegion"),
                enabled == null || enabled.isNull() ? null : enabled.asBoolean(),
                text(node, "RotationLambdaARN"),
                days,
                date(node, "CreatedDate"),
                date(node, "LastRotatedDate"),
                date(node, "LastChangedDate"),
                date(node, "LastAccessedDate"),
                date(node, "DeletedDate"),
                date(node, "NextRotationDate"),
                tags,
                raw);
    }

    /** The ARN field of an AWS answer, which must be a full secret ARN (with its 6-character suffix). */
    static SecretArn fullArn(String arn) throws FieldException {
        if (arn == null) {
            throw new FieldException("ARN", "missing");
        }
        SecretArn a =
                SecretArn.parse(arn).orElseThrow(() -> new FieldException("ARN", "not a Secrets Manager ARN: " + arn));
        if (!a.hasSuffixShape()) {
            throw new FieldException("ARN", "not a full secret ARN (no 6-character suffix): " + arn);
        }
        return a;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Instant date(JsonNode node, String field) throws FieldException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            BigDecimal seconds;
            try {
                seconds = v.isFloatingPointNumber() && !v.isBigDecimal()
                        ? BigDecimal.valueOf(v.doubleValue())
                        : v.decimalValue();
            } catch (NumberFormatException e) {
                throw new FieldException(field, "expected epoch seconds, found a number that is not finite");
            }
            return epochSeconds(field, seconds, EventParser.abbreviate(v.asText()));
        }
        if (v.isTextual()) {
            String s = v.asText();
            try {
                if (s.matches("\\d{1,30}(\\.\\d{1,30})?")) {
                    return epochSeconds(field, new BigDecimal(s), EventParser.abbreviate(s));
                }
                Instant t = Times.parse(s);
                if (!Times.storable(t)) {
                    throw new FieldException(
                            field,
                            "outside the accepted range " + Times.RANGE + ", found \"" + EventParser.abbreviate(s)
                                    + "\"");
                }
                return t;
            } catch (java.time.DateTimeException | NumberFormatException e) {
                throw new FieldException(field, "expected a date, found \"" + EventParser.abbreviate(s) + "\"");
            }
        }
        throw new FieldException(field, "expected a date, found " + v.getNodeType());
    }

    /** Range first: converting 1e400 seconds or a 1000-digit number to a long would wrap or take ages. */
    private static Instant epochSeconds(String field, BigDecimal seconds, String shown) throws FieldException {
        if (!Times.storableEpochSeconds(seconds)) {
            throw new FieldException(field, "outside the accepted range " + Times.RANGE + ", found " + shown);
        }
        return Times.fromEpochSeconds(seconds);
    }
}
