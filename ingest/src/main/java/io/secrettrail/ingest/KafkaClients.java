package io.secrettrail.ingest;

import io.secrettrail.core.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One factory method per client, each setting with its reason. User properties win. */
public final class KafkaClients {
    private KafkaClients() {}

    /**
     * Room for a message's key and headers beside the record: a secret ARN twice (AWS caps
     * secret ids at 2048 characters), the file name, counters. A message that needs more is
     * dead-lettered by {@link EventPublisher}, never sent.
     */
    public static final int KEY_AND_HEADERS_BYTES = 64 * 1024;
    /**
     * The producer's max.request.size: the largest record any --max-record-bytes admits, plus key
     * and headers. Fixed rather than derived from the option, so processes started with different
     * limits can share the topics and every record a reader passes fits.
     */
    public static final int MAX_REQUEST_BYTES =
            io.secrettrail.core.event.ReadLimits.MAX_RECORD_BYTES + KEY_AND_HEADERS_BYTES;

    public static Producer<byte[], byte[]> producer(KafkaSettings kafka, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // An audit trail must not lose or duplicate on retry: every replica acknowledges, and the
        // idempotent producer de-duplicates its own retries.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // CloudTrail JSON compresses ~8x; lz4 is the cheapest codec per byte saved.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Trail files arrive in bulk: fill large batches rather than send many small requests.
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        // The largest record a reader passes, with key and headers (dead letters are far smaller).
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.putAll(kafka.clientProperties());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static Admin admin(KafkaSettings kafka) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        p.putAll(kafka.clientProperties());
        return Admin.create(p);
    }
}
