package io.secrettrail.ingest;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.KafkaSettings.Headers;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Rejection;
import io.secrettrail.core.event.RejectionSource;
import io.secrettrail.core.event.ServiceSniff;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.SecretRef;
import io.secrettrail.core.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes to SecretTrail's topics. Events are keyed by the canonical secret ARN (so one
 * secret's events stay in one partition, in order), or {@code account:region} when they name no
 * secret (CloudTrail's logging changes name none: keyed {@code account:region}, so one trail's
 * changes, logged in its home region, stay in order); a BatchGetSecretValue by id list is published
 * once per listed secret. Each trail file read is announced by a {@link Delivery}. Thread-safe.
 */
public final class EventPublisher {
    private final Outbox producer;
    private final KafkaSettings.Topics topics;
    private final SecretResolver resolver;
    /** When a file was read: the bound of its delivery's time (see {@link Delivery#of}). */
    private final java.time.Clock clock;
    /** Where a published policy change is marked, for the inventory source to read the policy again. */
    private final PolicyChanges policyChanges;

    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> deadLettersBySource =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Callback onSent = (metadata, e) -> {
        if (e != null) {
            failure.compareAndSet(null, e);
        }
    };

    /** @param clock ingest's clock: a file's delivery time is never later than when it was read */
    public EventPublisher(
            Producer<byte[], byte[]> producer,
            KafkaSettings.Topics topics,
            SecretResolver resolver,
            java.time.Clock clock) {
        this(Outbox.of(producer), topics, resolver, clock);
    }

    /** @param policyChanges marks the secrets whose resource policy a published event changed */
    public EventPublisher(
            Producer<byte[], byte[]> producer,
            KafkaSettings.Topics topics,
            SecretResolver resolver,
            java.time.Clock clock,
            PolicyChanges policyChanges) {
        this(Outbox.of(producer), topics, resolver, clock, policyChanges);
    }

    /** @param outbox where messages go: a producer, or a {@link HeldOutbox} while the broker starts */
    public EventPublisher(Outbox outbox, KafkaSettings.Topics topics, SecretResolver resolver, java.time.Clock clock) {
        this(outbox, topics, resolver, clock, PolicyChanges.NONE);
    }

    /** @param policyChanges marks the secrets whose resource policy a published event changed */
    public EventPublisher(
            Outbox outbox,
            KafkaSettings.Topics topics,
            SecretResolver resolver,
            java.time.Clock clock,
            PolicyChanges policyChanges) {
        this.producer = outbox;
        this.topics = topics;
        this.resolver = resolver;
        this.clock = clock;
        this.policyChanges = policyChanges;
    }

    public void event(CloudTrailEvent e, String source, long recordIndex) {
        checkFailure();
        List<SecretRef> refs = resolver.resolve(e);
        // What ingest projected travels with the record: analytics does not parse the JSON again.
        byte[] projection = io.secrettrail.core.event.EventCodec.encode(e);
        long size = messageBytes(source, e.raw(), refs)
                + io.secrettrail.core.event.EventCodec.HEADER.length()
                + projection.length;
        if (size > KafkaClients.MAX_REQUEST_BYTES) {
            // Kafka would refuse it and stop the producer: the record goes to the dead-letter topic instead.
            String field = e.secretIds().stream()
                    .max(java.util.Comparator.comparingInt(id -> id.value().length()))
                    .map(CloudTrailEvent.SecretId::field)
                    .orElse(null);
            refused.incrementAndGet();
            deadLetter(new Rejection(
                    source,
                    recordIndex,
                    field,
                    "message of " + size + " bytes with its key and headers exceeds" + " the Kafka request limit of "
                            + KafkaClients.MAX_REQUEST_BYTES + " bytes",
                    io.secrettrail.core.event.TrailReader.preview(e.raw())));
            return;
        }
        if (refs.isEmpty()) {
            String key = (e.accountId() == null ? "unknown" : e.accountId()) + ":"
                    + (e.awsRegion() == null ? "unknown" : e.awsRegion());
            send(
                    topics.events(),
                    key,
                    e.raw(),
                    headers(source, recordIndex, null, false, 0, 1, e.carriedValue(), projection));
            return;
        }
        policyChanges.published(e, refs);
        for (int i = 0; i < refs.size(); i++) {
            SecretRef r = refs.get(i);
            send(
                    topics.events(),
                    r.key(),
                    e.raw(),
                    headers(source, recordIndex, r.key(), r.resolved(), i, refs.size(), e.carriedValue(), projection));
        }
    }

    /**
     * That a trail file was read, just now (see {@link Delivery}); nothing when its name is not
     * CloudTrail's or none of its records had a readable time.
     */
    public void delivery(String source, io.secrettrail.core.event.TrailReader.Result read) {
        Delivery d = Delivery.of(source, read, clock.instant());
        if (d == null) {
            return;
        }
        checkFailure();
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(source));
        h.add(Headers.MESSAGE, utf8(Headers.DELIVERY));
        send(topics.events(), d.key(), d.json(), h);
    }

    public void inventory(InventoryEntry entry, String source) {
        checkFailure();
        if (entry.raw().length + 2L * entry.arn().length() + KafkaClients.KEY_AND_HEADERS_BYTES / 2
                > KafkaClients.MAX_REQUEST_BYTES) {
            deadLetter(new Rejection(
                    source,
                    0,
                    null,
                    "inventory entry of " + entry.raw().length + " bytes exceeds the Kafka request limit of "
                            + KafkaClients.MAX_REQUEST_BYTES + " bytes",
                    io.secrettrail.core.event.TrailReader.preview(entry.raw())));
            return;
        }
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(source));
        send(topics.inventory(), entry.arn(), entry.raw(), h);
    }

    /**
     * The secret is gone (deleted for good): a null value, which compaction keeps until it removes the key,
     * stamped with when ingest saw it leave the listing (its billed interval ends there).
     */
    public void inventoryTombstone(String arn, String source) {
        checkFailure();
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(source));
        h.add(Headers.AT, utf8(clock.instant().toString()));
        send(topics.inventory(), arn, null, h);
    }

    /**
     * An inventory covers this account and region (a complete listing of it, or an inventory file listing an
     * ARN of it): there, a name neither listed nor shown to exist by a successful event does not exist.
     */
    public void inventoryCoverage(String account, String region, String source) {
        checkFailure();
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(source));
        h.add(Headers.MESSAGE, utf8(Headers.COVERAGE));
        com.fasterxml.jackson.databind.node.ObjectNode v =
                io.secrettrail.core.Json.mapper().createObjectNode();
        v.put("account", account);
        v.put("region", region);
        send(topics.inventory(), "coverage:" + account + ":" + region, utf8(v.toString()), h);
    }

    /**
     * A secret's current resource policy (read with GetResourcePolicy, or from a saved output), keyed
     * {@code policy:<ARN>} on the compacted inventory topic so that the latest read of each secret stays.
     */
    public void resourcePolicy(io.secrettrail.core.secret.ResourcePolicy policy, String source) {
        checkFailure();
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(source));
        h.add(Headers.MESSAGE, utf8(Headers.POLICY));
        send(topics.inventory(), policy.key(), POLICY_MESSAGES.message(policy), h);
    }

    private static final io.secrettrail.core.secret.ResourcePolicyReader POLICY_MESSAGES =
            new io.secrettrail.core.secret.ResourcePolicyReader();

    public void deadLetter(Rejection r) {
        checkFailure();
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(r.source()));
        h.add(Headers.RECORD, utf8(Long.toString(r.recordIndex())));
        if (r.field() != null) {
            h.add(Headers.FIELD, utf8(r.field()));
        }
        h.add(Headers.ERROR, utf8(r.error()));
        Boolean sm = ServiceSniff.secretsManager(r.raw());
        if (sm != null) {
            h.add(Headers.SECRETS_MANAGER, utf8(sm.toString()));
        }
        h.add(Headers.STAGE, utf8("ingest"));
        send(topics.deadLetter(), r.source() + "#" + r.recordIndex(), r.raw(), h);
        deadLetters.incrementAndGet();
        deadLettersBySource
                .computeIfAbsent(RejectionSource.of(r.source()), k -> new AtomicLong())
                .incrementAndGet();
    }

    /** Dead letters published, by {@link RejectionSource} of their file. */
    public java.util.Map<String, Long> deadLettersBySource() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        deadLettersBySource.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Waits until everything sent so far is acknowledged; throws the first failure. */
    public void flush() {
        producer.flush();
        checkFailure();
    }

    public long messages() {
        return messages.get();
    }

    /** True once Kafka has refused a record: the producer is not used any more. */
    public boolean failed() {
        return failure.get() != null;
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    /** Accepted records not published because their message would exceed Kafka's request limit (dead-lettered instead). */
    public long refused() {
        return refused.get();
    }

    /**
     * An upper bound of the largest message this record makes, as the producer estimates it
     * (batch and record overhead, key, value, headers with their varints).
     */
    static long messageBytes(String source, byte[] raw, List<SecretRef> refs) {
        long key = 0;
        for (SecretRef r : refs) {
            key = Math.max(key, utf8(r.key()).length);
        }
        if (refs.isEmpty()) {
            key = 64;
        }
        long headers = 6 * 10L
                + Headers.SOURCE.length()
                + utf8(source).length
                + Headers.RECORD.length()
                + 20
                + Headers.SECRET.length()
                + key
                + Headers.RESOLVED.length()
                + 5
                + Headers.FANOUT.length()
                + 24
                + Headers.CARRIED_VALUE.length()
                + 4;
        return 61 + 21 + 5 + key + 5 + raw.length + headers;
    }

    private void send(String topic, String key, byte[] value, RecordHeaders headers) {
        producer.send(new ProducerRecord<>(topic, null, utf8(key), value, headers), onSent);
        messages.incrementAndGet();
    }

    private void checkFailure() {
        Exception e = failure.get();
        if (e != null) {
            throw new PublishException("publishing to Kafka failed: " + e.getMessage(), e);
        }
    }

    private static RecordHeaders headers(
            String source,
            long recordIndex,
            String secret,
            boolean resolved,
            int i,
            int n,
            boolean carriedValue,
            byte[] projection) {
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(source));
        h.add(Headers.RECORD, utf8(Long.toString(recordIndex)));
        if (secret != null) {
            h.add(Headers.SECRET, utf8(secret));
            h.add(Headers.RESOLVED, utf8(Boolean.toString(resolved)));
        }
        h.add(Headers.FANOUT, utf8(i + "/" + n));
        if (carriedValue) {
            h.add(Headers.CARRIED_VALUE, utf8("true"));
        }
        h.add(io.secrettrail.core.event.EventCodec.HEADER, projection);
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Kafka refused a record after its retries: fatal for the run. */
    public static final class PublishException extends RuntimeException {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
