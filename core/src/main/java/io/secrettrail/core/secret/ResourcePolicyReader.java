package io.secrettrail.core.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.secrettrail.core.event.FieldException;
import io.secrettrail.core.event.Rejection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reads {@code GetResourcePolicy} answers: {@code {"ARN", "Name", "ResourcePolicy"}}, the policy a JSON string
 * (absent or null when the secret has none), as {@code aws secretsmanager get-resource-policy} prints them. A file
 * may hold one answer, several one after another (one per line), or an array of them. On the inventory topic the
 * same object carries {@code ReadAt} (ISO-8601) and {@code Origin}.
 */
public final class ResourcePolicyReader {
    /** An answer's fields, and those a topic message adds (when and where it was read). */
    private static final java.util.Set<String> FIELDS =
            java.util.Set.of("ARN", "Name", "ResourcePolicy", "ReadAt", "Origin");

    private final ObjectMapper mapper = io.secrettrail.core.Json.mapper();

    /**
     * Reads every answer of a saved file; bad ones go to {@code rejects} and reading goes on.
     *
     * @return the answers read
     */
    public int read(Path file, String name, Consumer<ResourcePolicy> policies, Consumer<Rejection> rejects)
            throws IOException {
        int[] count = {0};
        long[] index = {0};
        JsonObjectFile.read(
                mapper,
                file,
                name,
                "the JSON output of get-resource-policy",
                node -> count[0] += accept(node, name, ++index[0], policies, rejects),
                () -> index[0],
                rejects);
        return count[0];
    }

    private int accept(JsonNode node, String name, long index, Consumer<ResourcePolicy> out, Consumer<Rejection> rej) {
        try {
            out.accept(parse(node, null, name));
            return 1;
        } catch (FieldException e) {
            rej.accept(new Rejection(name, index, e.field(), e.getMessage(), new byte[0]));
            return 0;
        }
    }

    /**
     * One answer.
     *
     * @param readAt when it was read, unless the object says ({@code ReadAt})
     * @param origin where it came from, unless the object says ({@code Origin})
     */
    public ResourcePolicy parse(JsonNode node, Instant readAt, String origin) throws FieldException {
        if (!(node instanceof ObjectNode)) {
            throw new FieldException("GetResourcePolicy", "expected an object");
        }
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                // describe-secret's or list-secrets' entries have an ARN and a Name too, and no ResourcePolicy:
                // taken for an answer, each would read as a secret without a policy, current as of the report
                throw new FieldException(
                        io.secrettrail.core.Text.visible(f, 100),
                        "not a field of a get-resource-policy answer (is this another command's output?)");
            }
        }
        String arn = text(node, "ARN");
        InventoryReader.fullArn(arn);
        JsonNode policy = node.get("ResourcePolicy");
        if (policy != null && !policy.isNull() && !policy.isTextual()) {
            throw new FieldException("ResourcePolicy", "expected the policy as a JSON string");
        }
        JsonNode at = node.get("ReadAt");
        if (at != null && !at.isNull()) {
            readAt = InventoryReader.date(node, "ReadAt");
        }
        String from = text(node, "Origin");
        String name = text(node, "Name");
        return new ResourcePolicy(
                arn,
                name != null ? name : SecretArn.nameOfFull(arn),
                policy == null || policy.isNull() ? null : policy.asText(),
                readAt,
                from != null ? from : origin);
    }

    /** The message the inventory topic carries: the answer's own shape, with when and where it was read. */
    public byte[] message(ResourcePolicy p) {
        ObjectNode n = mapper.createObjectNode();
        n.put("ARN", p.arn());
        n.put("Name", p.name());
        if (p.policy() != null) {
            n.put("ResourcePolicy", p.policy());
        }
        if (p.readAt() != null) {
            n.put("ReadAt", p.readAt().toString());
        }
        n.put("Origin", p.origin());
        try {
            return mapper.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
