package io.secrettrail.analytics.live;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.KafkaSettings.Headers;
import io.secrettrail.core.event.ServiceSniff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where analytics puts the messages it cannot decode or store. {@link #publish} returns once the
 * dead letters are acknowledged: the offsets that skip them are committed only after that, so a
 * crash in between publishes them again (at least once; the rejections table counts each key once).
 */
public interface DeadLetters {
    void publish(List<Poison> poison) throws Exception;

    /** No dead-letter topic (tests, tools): the consumer logs and counts poison messages and moves on. */
    DeadLetters NONE = poison -> {};

    /** The dead-letter topic, with the headers ingest writes plus where the message was. */
    static DeadLetters kafka(Producer<byte[], byte[]> producer, KafkaSettings.Topics topics) {
        return poison -> {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Poison p : poison) {
                sent.add(producer.send(record(topics.deadLetter(), p)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        };
    }

    /** Dead letters carry up to this much of the message, like ingest's. */
    int MAX_VALUE_BYTES = 256 * 1024;

    static ProducerRecord<byte[], byte[]> record(String topic, Poison p) {
        var m = p.message();
        RecordHeaders h = new RecordHeaders();
        String source = header(m.headers().lastHeader(Headers.SOURCE));
        h.add(Headers.SOURCE, utf8(source != null ? source : p.where()));
        String record = header(m.headers().lastHeader(Headers.RECORD));
        if (record != null) {
            h.add(Headers.RECORD, utf8(record));
        }
        if (p.field() != null) {
            h.add(Headers.FIELD, utf8(p.field()));
        }
        h.add(Headers.ERROR, utf8(p.error()));
        Boolean sm = ServiceSniff.secretsManager(m.value());
        if (sm != null) {
            h.add(Headers.SECRETS_MANAGER, utf8(sm.toString()));
        }
        h.add(Headers.STAGE, utf8("analytics"));
        h.add(Headers.ORIGIN_TOPIC, utf8(m.topic()));
        h.add(Headers.ORIGIN_PARTITION, utf8(Integer.toString(m.partition())));
        h.add(Headers.ORIGIN_OFFSET, utf8(Long.toString(m.offset())));
        byte[] v = m.value();
        if (v != null && v.length > MAX_VALUE_BYTES) {
            v = Arrays.copyOf(v, MAX_VALUE_BYTES);
        }
        return new ProducerRecord<>(topic, null, utf8(p.where()), v, h);
    }

    /** The producer for dead letters, each setting with its reason. User properties win. */
    static Producer<byte[], byte[]> producer(KafkaSettings kafka, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // A dead letter replaces the message in the stored stream: it must not be lost or doubled on retry.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Up to 256 KB of the message plus headers.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.putAll(kafka.clientProperties());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String header(Header h) {
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
