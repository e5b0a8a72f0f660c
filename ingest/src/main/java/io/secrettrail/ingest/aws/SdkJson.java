package io.secrettrail.ingest.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * An SDK model object as the service's own JSON: member names as on the wire ({@code ARN},
 * {@code RotationRules}, {@code Tags[].Key}), dates as epoch seconds, unset members left out. So a
 * ListSecrets entry fetched by the SDK reads exactly like the {@code aws secretsmanager list-secrets}
 * output the file source takes.
 */
final class SdkJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SdkJson() {}

    static ObjectNode of(SdkPojo pojo) {
        ObjectNode out = F.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object v = field.getValueOrDefault(pojo);
            if (v != null
                    && !(v instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?> l && l.isEmpty())
                    && !(v instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?> m && m.isEmpty())) {
                out.set(field.locationName(), value(v));
            }
        }
        return out;
    }

    private static JsonNode value(Object v) {
        if (v instanceof SdkPojo p) {
            return of(p);
        }
        if (v instanceof String s) {
            return F.textNode(s);
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return F.numberNode(i);
        }
        if (v instanceof Long l) {
            return F.numberNode(l);
        }
        if (v instanceof Instant t) {
            return F.numberNode(new java.math.BigDecimal(t.getEpochSecond())
                    .add(java.math.BigDecimal.valueOf(t.getNano(), 9))
                    .stripTrailingZeros());
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = F.arrayNode();
            c.forEach(x -> a.add(value(x)));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        }
        if (v instanceof Number n) {
            return F.numberNode(new java.math.BigDecimal(n.toString()));
        }
        return F.textNode(String.valueOf(v));
    }
}
