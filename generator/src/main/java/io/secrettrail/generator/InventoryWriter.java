package io.secrettrail.generator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what {@code aws secretsmanager list-secrets} returns at {@code end}, one file per
 * account/region. Account 111111111111 gets raw API epoch numbers, 222222222222 the CLI's ISO
 * strings, because ingest must accept both.
 */
final class InventoryWriter {
    private final JsonFactory json;

    InventoryWriter(JsonFactory json) {
        this.json = json;
    }

    void write(Path dir, SecretCatalog catalog) throws IOException {
        Files.createDirectories(dir);
        for (int accountRegion = 0; accountRegion < Topology.ACCOUNT_REGION_COUNT; accountRegion++) {
            List<SyntheticSecret> here = new ArrayList<>();
            for (SyntheticSecret s : catalog.inventory) {
                if (s.accountRegion == accountRegion) {
                    here.add(s);
                }
            }
            Path file = dir.resolve(Topology.accountId(accountRegion) + "-" + Topology.region(accountRegion) + ".json");
            boolean epoch = Topology.accountIndexOf(accountRegion) == Topology.EPOCH_DATES_ACCOUNT;
            try (JsonGenerator g = json.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeArrayFieldStart("SecretList");
                for (SyntheticSecret s : here) {
                    writeSecret(g, s, epoch);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        }
    }

    private static void writeSecret(JsonGenerator g, SyntheticSecret s, boolean epoch) throws IOException {
        SecretTally t = s.tally;
        long lastRotated = s.rotationEnabled ? Math.max(s.lastRotatedBeforeWindow, t.lastRotated) : SecretTally.NONE;
        long lastChanged = Math.max(s.lastChangedBeforeWindow, t.lastChanged);
        long lastAccessed = Math.max(s.lastAccessedBeforeWindow, t.lastAccessed);
        g.writeStartObject();
        g.writeStringField("ARN", s.fullArn);
        g.writeStringField("Name", s.name);
        g.writeStringField("Description", s.description);
        g.writeBooleanField("RotationEnabled", s.rotationEnabled);
        if (s.rotationEnabled) {
            String function = "rotate-" + s.name.replaceAll("[^A-Za-z0-9_-]", "-");
            g.writeStringField(
                    "RotationLambdaARN",
                    "arn:aws:lambda:" + s.region + ":" + s.accountId + ":function:"
                            + (function.length() > 64 ? function.substring(0, 64) : function));
            g.writeObjectFieldStart("RotationRules");
            g.writeNumberField("AutomaticallyAfterDays", 30);
            g.writeEndObject();
        }
        date(g, "LastRotatedDate", lastRotated, epoch, s.fractionalEpoch);
        date(g, "LastChangedDate", lastChanged, epoch, s.fractionalEpoch);
        if (lastAccessed != SecretTally.NONE) {
            // Secrets Manager only keeps the day of the last access.
            date(
                    g,
                    "LastAccessedDate",
                    Math.floorDiv(lastAccessed, TimeWindow.DAY) * TimeWindow.DAY,
                    epoch,
                    s.fractionalEpoch);
        }
        date(g, "DeletedDate", s.deletedAt, epoch, s.fractionalEpoch);
        if (s.rotationEnabled) {
            date(g, "NextRotationDate", lastRotated + 30 * TimeWindow.DAY, epoch, s.fractionalEpoch);
        }
        g.writeArrayFieldStart("Tags");
        tag(g, "team", s.team);
        tag(g, "cost-center", s.costCenter);
        g.writeEndArray();
        g.writeObjectFieldStart("SecretVersionsToStages");
        g.writeArrayFieldStart(s.versionId);
        g.writeString("AWSCURRENT");
        g.writeEndArray();
        g.writeEndObject();
        date(g, "CreatedDate", s.createdAt, epoch, s.fractionalEpoch);
        if (s.primaryRegion != null) {
            g.writeStringField("PrimaryRegion", s.primaryRegion);
        }
        g.writeEndObject();
    }

    private static void tag(JsonGenerator g, String key, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("Key", key);
        g.writeStringField("Value", value);
        g.writeEndObject();
    }

    private static void date(JsonGenerator g, String field, long epochSecond, boolean epoch, boolean fractional)
            throws IOException {
        if (epochSecond == SecretTally.NONE) {
            return;
        }
        g.writeFieldName(field);
        if (!epoch) {
            g.writeString(TimeText.cliIso(epochSecond));
        } else if (fractional) {
            g.writeNumber(epochSecond + ".0");
        } else {
            g.writeNumber(epochSecond);
        }
    }
}
