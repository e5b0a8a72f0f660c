package io.secrettrail.analytics.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.StorableValues;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.KafkaSettings.Headers;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventCodec;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.event.FieldException;
import io.secrettrail.core.event.Projection;
import io.secrettrail.core.event.RejectionSource;
import io.secrettrail.core.event.ServiceSniff;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.InventoryReader;
import io.secrettrail.core.secret.SecretArn;
import io.secrettrail.core.secret.SecretRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinTask;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a poll of the three topics into a {@link Decoded} batch: events (JSON projection, the
 * secret from ingest's headers), trail deliveries (keyed {@code delivery:ACCOUNT:REGION} on the
 * events topic), inventory entries, and dead letters (from their headers). A
 * message that cannot be decoded, or holds a value the store cannot, becomes a {@link Poison}.
 * Thread-safe: chunks of a poll are decoded in parallel.
 */
final class MessageDecoder {
    /** Logs under the consumer's name, as before the split: operators grep for it. */
    private static final Logger log = LoggerFactory.getLogger(AnalyticsConsumer.class);

    private static final ObjectMapper JSON = io.secrettrail.core.Json.mapper();
    /** Messages per task when a poll is decoded in parallel. */
    private static final int CHUNK = 2_000;
    /** Longest header value kept in the rejections table: headers come from whoever can write to the topic. */
    private static final int MAX_HEADER_CHARS = 2_000;

    private final KafkaSettings.Topics topics;
    private final boolean checkLimits;
    private final EventParser parser = new EventParser();
    private final InventoryReader inventory = new InventoryReader();
    private final io.secrettrail.core.secret.ResourcePolicyReader policies =
            new io.secrettrail.core.secret.ResourcePolicyReader();

    /** @param checkLimits false only in tests: lets values the store refuses reach it, to exercise the halving */
    MessageDecoder(KafkaSettings.Topics topics, boolean checkLimits) {
        this.topics = topics;
        this.checkLimits = checkLimits;
    }

    /** An inventory message: the entry, or null for a tombstone with the time it says the secret left the listing. */
    private record InventoryItem(String arn, InventoryEntry entry, java.time.Instant goneAt) {}

    /** That an inventory covers an account and region. */
    private record CoverageItem(String account, String region, String source) {}

    /** Decodes a poll in parallel chunks, then assembles the batch in the records' order. */
    Decoded decode(List<ConsumerRecord<byte[], byte[]>> all) {
        List<ForkJoinTask<List<Object>>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<ConsumerRecord<byte[], byte[]>> part = all.subList(from, Math.min(all.size(), from + CHUNK));
            chunks.add(ForkJoinTask.adapt(() -> {
                List<Object> out = new ArrayList<>(part.size());
                for (ConsumerRecord<byte[], byte[]> r : part) {
                    out.add(
                            r.topic().equals(topics.inventory())
                                    ? inventory(r)
                                    : r.topic().equals(topics.deadLetter())
                                            ? rejection(r)
                                            : isDelivery(r) ? delivery(r) : event(r));
                }
                return out;
            }));
        }
        ForkJoinTask.invokeAll(chunks);
        Batch batch = new Batch();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        List<Poison> poison = new ArrayList<>();
        Map<Batch.EventRow, ConsumerRecord<byte[], byte[]>> origins = new IdentityHashMap<>();
        int i = 0;
        for (ForkJoinTask<List<Object>> chunk : chunks) {
            for (Object item : chunk.join()) {
                ConsumerRecord<byte[], byte[]> r = all.get(i++);
                batch.offset(r.topic(), r.partition(), r.offset() + 1);
                commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                if (item instanceof Batch.Keyed keyed) {
                    batch.event(keyed);
                    origins.put(keyed.row(), r);
                } else if (item instanceof InventoryItem inv) {
                    if (inv.entry() == null) {
                        batch.inventoryGone(inv.arn(), inv.goneAt());
                    } else {
                        batch.inventory(inv.arn(), inv.entry());
                    }
                } else if (item instanceof io.secrettrail.core.secret.ResourcePolicy pol) {
                    batch.policy(pol);
                } else if (item instanceof CoverageItem cov) {
                    batch.coverage(cov.account(), cov.region(), cov.source());
                } else if (item instanceof Batch.DeliveryRow del) {
                    batch.delivery(del);
                } else if (item instanceof Batch.RejectionRow rej) {
                    batch.rejection(rej);
                } else if (item instanceof Poison p) {
                    poison.add(p);
                    batch.undecodable();
                }
                // null: a dead letter that cannot be recorded (logged), skipped
            }
        }
        return new Decoded(batch, commit, all.size(), poison, origins);
    }

    private Object inventory(ConsumerRecord<byte[], byte[]> r) {
        if (Headers.COVERAGE.equals(header(r, Headers.MESSAGE))) {
            return coverage(r);
        }
        if (Headers.POLICY.equals(header(r, Headers.MESSAGE))) {
            return policy(r);
        }
        String arn = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            // When ingest saw the secret leave the listing; a tombstone of an older ingest carries only the
            // time Kafka stamped it with.
            String at = header(r, Headers.AT);
            java.time.Instant gone;
            try {
                gone = at != null
                        ? io.secrettrail.core.Times.parse(at)
                        : r.timestamp() >= 0 ? java.time.Instant.ofEpochMilli(r.timestamp()) : null;
            } catch (java.time.DateTimeException e) {
                gone = null;
            }
            if (gone == null || !StorableValues.storable(gone)) {
                return new Poison(r, Headers.AT, "an inventory tombstone without a readable time");
            }
            return new InventoryItem(arn, null, gone);
        }
        try {
            InventoryEntry entry = inventory.parse(JSON.readTree(r.value()));
            StorableValues.Problem p = StorableValues.check(entry);
            if (p != null) {
                return new Poison(r, p.field(), p.error());
            }
            return new InventoryItem(arn, entry, null);
        } catch (FieldException e) {
            return new Poison(r, e.field(), "not a list-secrets entry: " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Poison(r, null, "not a list-secrets entry: " + jsonError(e));
        } catch (java.io.IOException | RuntimeException e) {
            return new Poison(r, null, "not a list-secrets entry: " + AnalyticsConsumer.describe(e));
        }
    }

    private Object event(ConsumerRecord<byte[], byte[]> r) {
        CloudTrailEvent e;
        if (r.value() == null || r.value().length == 0) {
            return new Poison(
                    r, null, r.value() == null ? "no value (a tombstone on the events topic)" : "empty value");
        }
        Header projected = r.headers().lastHeader(EventCodec.HEADER);
        e = projected == null ? null : EventCodec.decode(projected.value(), r.value());
        if (e == null) {
            // A message of an older ingest or another producer, or a projection this build does not read.
            Object parsed = parse(r);
            if (parsed instanceof Poison) {
                return parsed;
            }
            e = (CloudTrailEvent) parsed;
        }
        StorableValues.Problem problem = checkLimits ? StorableValues.check(e) : null;
        if (problem != null) {
            return new Poison(r, problem.field(), problem.error());
        }
        String secret = header(r, Headers.SECRET);
        SecretRef ref = null;
        if (secret != null) {
            boolean resolved = "true".equals(header(r, Headers.RESOLVED));
            ref = SecretArn.parse(secret)
                    .map(a -> new SecretRef(
                            secret,
                            resolved,
                            a.account(),
                            a.region(),
                            resolved && a.hasSuffixShape() ? SecretArn.nameOfFull(secret) : a.resource()))
                    .orElse(new SecretRef(secret, false, e.accountId(), e.awsRegion(), secret));
        }
        String fanout = header(r, Headers.FANOUT);
        boolean first = fanout == null || fanout.startsWith("0/");
        String record = header(r, Headers.RECORD);
        Long recordIndex = null;
        if (record != null) {
            try {
                recordIndex = Long.parseLong(record);
            } catch (NumberFormatException ignored) {
                // a foreign producer's header; the event itself is fine
            }
        }
        // The dedupe keys are worked out here, in the decode pool: the writer thread bounds the pipeline.
        return Batch.keyed(
                new Batch.EventRow(e, ref, first, header(r, Headers.SOURCE), recordIndex, r.partition(), r.offset()));
    }

    /** The event the raw record holds (its JSON projected and parsed), or the Poison it is. */
    private Object parse(ConsumerRecord<byte[], byte[]> r) {
        try {
            try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(r.value())) {
                p.nextToken();
                return parser.parse(
                        Projection.event(JSON, p), r.value(), "true".equals(header(r, Headers.CARRIED_VALUE)));
            }
        } catch (FieldException ex) {
            return new Poison(r, ex.field(), ex.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return new Poison(r, null, jsonError(ex));
        } catch (java.io.IOException | RuntimeException ex) {
            return new Poison(r, null, "not an event: " + AnalyticsConsumer.describe(ex));
        }
    }

    /**
     * Ingest announces each trail file it read on the events topic, keyed {@code delivery:ACCOUNT:REGION} and
     * marked by its {@code secrettrail.message} header. The header decides, not the key: an event naming no
     * secret is keyed by its own account and region, which a trail file may spell {@code delivery:...}, and
     * such a record must stay an event (it cannot pose as a delivery and hide a trail's silence).
     */
    private static boolean isDelivery(ConsumerRecord<byte[], byte[]> r) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(Headers.MESSAGE);
        return h != null && Headers.DELIVERY.equals(new String(h.value(), StandardCharsets.UTF_8));
    }

    /**
     * A delivery message: {"account","region","file","latestEventTime","records"}, its account and
     * region those of its key. Anything else is poison, dead-lettered like a bad event.
     */
    private Object delivery(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null || r.value().length == 0) {
            return new Poison(r, null, "not a trail delivery: no value");
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(r.value());
            if (n == null || !n.isObject()) {
                return new Poison(r, null, "not a trail delivery: expected a JSON object");
            }
            String account = deliveryText(n, "account");
            String region = deliveryText(n, "region");
            String file = deliveryText(n, "file");
            String time = deliveryText(n, "latestEventTime");
            com.fasterxml.jackson.databind.JsonNode records = n.get("records");
            if (records == null || !records.canConvertToLong() || !records.isIntegralNumber() || records.asLong() < 0) {
                throw new FieldException("records", "expected a whole number >= 0");
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (!key.equals("delivery:" + account + ":" + region)) {
                return new Poison(r, null, "not a trail delivery: its key does not name its account and region");
            }
            java.time.Instant latest;
            try {
                latest = io.secrettrail.core.Times.parse(time);
            } catch (java.time.DateTimeException e) {
                throw new FieldException("latestEventTime", "expected an ISO-8601 time");
            }
            if (!StorableValues.storable(latest)) {
                throw new FieldException(
                        "latestEventTime", "outside the accepted range " + io.secrettrail.core.Times.RANGE);
            }
            return new Batch.DeliveryRow(account, region, clip(file), latest, records.asLong());
        } catch (FieldException e) {
            return new Poison(r, e.field(), "not a trail delivery: " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Poison(r, null, "not a trail delivery: " + jsonError(e));
        } catch (java.io.IOException | RuntimeException e) {
            return new Poison(r, null, "not a trail delivery: " + AnalyticsConsumer.describe(e));
        }
    }

    /**
     * A coverage message: {"account","region"}, its key {@code coverage:<account>:<region>}. Anything else is
     * poison.
     */
    private Object coverage(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null || r.value().length == 0) {
            return new Poison(r, null, "not an inventory coverage: no value");
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(r.value());
            if (n == null || !n.isObject()) {
                return new Poison(r, null, "not an inventory coverage: expected a JSON object");
            }
            String account = deliveryText(n, "account");
            String region = deliveryText(n, "region");
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            if (!key.equals("coverage:" + account + ":" + region)) {
                return new Poison(r, null, "not an inventory coverage: its key does not name its account and region");
            }
            return new CoverageItem(account, region, clip(header(r, Headers.SOURCE)));
        } catch (FieldException e) {
            return new Poison(r, e.field(), "not an inventory coverage: " + e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
            return new Poison(r, null, "not an inventory coverage: " + AnalyticsConsumer.describe(e));
        }
    }

    /**
     * A current resource policy: GetResourcePolicy's answer with ReadAt and Origin, its key {@code policy:<ARN>}.
     * Anything else is poison.
     */
    private Object policy(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null || r.value().length == 0) {
            return new Poison(r, null, "not a resource policy: no value");
        }
        try {
            io.secrettrail.core.secret.ResourcePolicy p =
                    policies.parse(JSON.readTree(r.value()), null, clip(header(r, Headers.SOURCE)));
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            if (!key.equals(p.key())) {
                return new Poison(r, null, "not a resource policy: its key does not name its ARN");
            }
            if (p.readAt() != null && !StorableValues.storable(p.readAt())) {
                return new Poison(
                        r,
                        "ReadAt",
                        "not a resource policy: outside the accepted range " + io.secrettrail.core.Times.RANGE);
            }
            return p;
        } catch (FieldException e) {
            return new Poison(r, e.field(), "not a resource policy: " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Poison(r, null, "not a resource policy: " + jsonError(e));
        } catch (java.io.IOException | RuntimeException e) {
            return new Poison(r, null, "not a resource policy: " + AnalyticsConsumer.describe(e));
        }
    }

    private static String deliveryText(com.fasterxml.jackson.databind.JsonNode n, String field) throws FieldException {
        com.fasterxml.jackson.databind.JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > MAX_HEADER_CHARS) {
            throw new FieldException(field, "expected a string of 1.." + MAX_HEADER_CHARS + " characters");
        }
        return v.asText();
    }

    /** A JSON error by location only: Jackson's own message quotes the offending token, which may be a secret value. */
    private static String jsonError(com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        return at == null
                ? "invalid JSON"
                : "invalid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * A dead letter, from its headers (its bytes may be anything and are not read, except to tell
     * whether a record of an older ingest was a Secrets Manager one); null if it has no usable time.
     */
    private Object rejection(ConsumerRecord<byte[], byte[]> r) {
        java.time.Instant at = java.time.Instant.ofEpochMilli(r.timestamp());
        if (r.timestamp() < 0 || !StorableValues.storable(at)) {
            log.warn(
                    "dead letter {}-{}@{} has no usable timestamp ({}); not counted",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.timestamp());
            return null;
        }
        String file = clip(header(r, Headers.SOURCE));
        Long record = null;
        try {
            String rec = header(r, Headers.RECORD);
            record = rec == null ? null : Long.parseLong(rec);
        } catch (NumberFormatException ignored) {
            // a foreign producer's header
        }
        String sm = header(r, Headers.SECRETS_MANAGER);
        Boolean secretsManager = sm == null ? ServiceSniff.secretsManager(r.value()) : Boolean.valueOf(sm);
        String stage = header(r, Headers.STAGE);
        String key = r.key() == null
                ? r.topic() + "-" + r.partition() + "@" + r.offset()
                : new String(r.key(), StandardCharsets.UTF_8);
        return new Batch.RejectionRow(
                clip(key),
                at,
                RejectionSource.of(file),
                file,
                record,
                clip(header(r, Headers.FIELD)),
                clip(header(r, Headers.ERROR)),
                secretsManager,
                stage == null ? "ingest" : clip(stage));
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_HEADER_CHARS ? s : s.substring(0, MAX_HEADER_CHARS) + "…";
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
