package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes the report ingest and analysis must reproduce, from the model's tallies rather than from
 * the files, so that the two are independent.
 */
final class TruthWriter {
    private final JsonFactory json;

    TruthWriter(JsonFactory json) {
        this.json = json;
    }

    /**
     * @param unattributed API calls naming no secret
     * @param shared API calls naming several secrets, one of them outside the inventory
     */
    void write(
            Path file,
            Instant asOf,
            GenerationSummary summary,
            SecretCatalog catalog,
            long unattributed,
            List<SyntheticSecret[]> shared,
            String canary)
            throws IOException {
        // The inventory files cover the account and region pairs of the ARNs they list.
        java.util.Set<Integer> covered = new java.util.HashSet<>();
        for (SyntheticSecret s : catalog.inventory) {
            covered.add(s.accountRegion);
        }
        // SecretTrail says how many KMS requests a secret made where the data holds any (null elsewhere)
        java.util.Set<Integer> kmsSeen = new java.util.HashSet<>();
        for (SyntheticSecret s : catalog.all()) {
            if (s.tally.kmsRequests > 0) {
                kmsSeen.add(s.accountRegion);
            }
        }
        List<SyntheticSecret> listed = new ArrayList<>();
        for (SyntheticSecret s : catalog.all()) {
            if (s.inInventory() || s.tally.calls > 0) {
                listed.add(s);
                if (!exists(s)) {
                    unattributed += s.tally.soloApiCalls; // the calls of a name that does not exist are no secret's
                }
            }
        }
        for (SyntheticSecret[] named : shared) {
            if (java.util.Arrays.stream(named).noneMatch(TruthWriter::exists)) {
                unattributed++;
            }
        }
        listed.sort(Comparator.comparing(SyntheticSecret::reportArn));
        try (JsonGenerator g = json.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 1);
            g.writeStringField("asOf", asOf.toString());
            g.writeObjectFieldStart("ingest");
            g.writeNumberField("files", summary.files());
            g.writeNumberField("records", summary.records());
            g.writeNumberField("secretsManagerEvents", summary.secretsManagerEvents());
            g.writeNumberField("duplicates", summary.duplicates());
            g.writeNumberField("rejected", 0);
            // Redelivered copies are exact, and nothing is dated after the trail's end.
            g.writeNumberField("conflicts", 0);
            g.writeNumberField("future", 0);
            g.writeEndObject();
            g.writeArrayFieldStart("secrets");
            for (SyntheticSecret s : listed) {
                writeSecret(
                        g,
                        s,
                        exists(s) ? Boolean.TRUE : covered.contains(s.accountRegion) ? Boolean.FALSE : null,
                        kmsSeen.contains(s.accountRegion));
            }
            g.writeEndArray();
            g.writeNumberField("unattributedCalls", unattributed);
            // Not a report field: when each secret outside the inventory was first shown to exist (its storage is
            // billed from there when no CreateSecret dates it), for tests that recompute the cost.
            g.writeObjectFieldStart("firstConfirmed");
            for (SyntheticSecret s : listed) {
                if (!s.inInventory() && s.tally.firstConfirmed != SecretTally.NONE) {
                    time(g, s.reportArn(), s.tally.firstConfirmed);
                }
            }
            g.writeEndObject();
            g.writeStringField("canary", canary);
            g.writeEndObject();
        }
    }

    /** Confirmed: the inventory lists it, or an event shows it exists. */
    private static boolean exists(SyntheticSecret s) {
        return s.inInventory() || s.tally.confirming > 0;
    }

    /** @param kmsSeen whether the trail holds KMS requests made for secrets in its account and region */
    private static void writeSecret(JsonGenerator g, SyntheticSecret s, Boolean exists, boolean kmsSeen)
            throws IOException {
        SecretTally t = s.tally;
        boolean inv = s.inInventory();
        g.writeStartObject();
        g.writeStringField("arn", s.reportArn());
        g.writeStringField("name", s.name);
        g.writeStringField("account", s.accountId);
        g.writeStringField("region", s.region);
        g.writeStringField("primaryRegion", s.primaryRegion != null ? s.primaryRegion : s.region);
        g.writeBooleanField("resolved", s.fullArn != null);
        if (exists == null) {
            g.writeNullField("exists");
        } else {
            g.writeBooleanField("exists", exists);
        }
        g.writeNumberField("calls", t.calls);
        g.writeObjectFieldStart("callsByEvent");
        TreeMap<String, Long> byName = new TreeMap<>();
        for (EventName e : EventName.values()) {
            if (t.callsByEvent[e.ordinal()] > 0) {
                byName.put(e.name(), t.callsByEvent[e.ordinal()]);
            }
        }
        for (var e : byName.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("errors", t.errors);
        g.writeNumberField("principals", t.callerIndexes.cardinality());
        time(g, "lastAccessed", t.lastAccessed);
        time(
                g,
                "lastRotated",
                Math.max(inv && s.rotationEnabled ? s.lastRotatedBeforeWindow : SecretTally.NONE, t.lastRotated));
        time(g, "lastChanged", Math.max(inv ? s.lastChangedBeforeWindow : SecretTally.NONE, t.lastChanged));
        if (inv) {
            g.writeBooleanField("rotationEnabled", s.rotationEnabled);
        } else {
            g.writeNullField("rotationEnabled");
        }
        time(g, "createdDate", inv ? s.createdAt : t.firstCreated);
        time(g, "deletedDate", inv && s.deletedAt != SecretTally.NONE ? s.deletedAt : t.lastDeleted);
        if (kmsSeen) {
            g.writeNumberField("kmsRequests", t.kmsRequests);
        } else {
            g.writeNullField("kmsRequests");
        }
        // its requests name the aws/secretsmanager key; an inventoried secret names no KmsKeyId: the same alias
        if (t.kmsRequests > 0) {
            g.writeStringField("kmsKey", NoiseRecord.secretsManagerKeyArn(s.accountId, s.region));
        } else if (inv) {
            g.writeStringField("kmsKey", "alias/aws/secretsmanager");
        } else {
            g.writeNullField("kmsKey");
        }
        g.writeEndObject();
    }

    private static void time(JsonGenerator g, String field, long epochSecond) throws IOException {
        if (epochSecond == SecretTally.NONE) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, TimeText.instant(epochSecond));
        }
    }
}
