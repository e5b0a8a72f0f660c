package io.secrettrail.ingest;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Where {@link EventPublisher} sends its messages: a producer, or {@link HeldOutbox} until the broker is up. */
public interface Outbox {
    void send(ProducerRecord<byte[], byte[]> record, Callback onSent);

    /** Waits until everything sent so far is acknowledged (or has failed: see the callbacks). */
    void flush();

    static Outbox of(Producer<byte[], byte[]> producer) {
        return new Outbox() {
            @Override
            public void send(ProducerRecord<byte[], byte[]> record, Callback onSent) {
                producer.send(record, onSent);
            }

            @Override
            public void flush() {
                producer.flush();
            }
        };
    }
}
