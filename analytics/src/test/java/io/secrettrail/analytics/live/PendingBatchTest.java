package io.secrettrail.analytics.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Issue 16: a DuckDB transaction closes at N messages or B bytes, whichever comes first. */
class PendingBatchTest {

    private static ConsumerRecord<byte[], byte[]> message(int valueBytes) {
        ConsumerRecord<byte[], byte[]> r =
                new ConsumerRecord<>("events", 0, 0L, "key".getBytes(StandardCharsets.UTF_8), new byte[valueBytes]);
        r.headers().add("h", new byte[7]);
        return r;
    }

    @Test
    void batch_closes_at_the_byte_bound_before_the_message_bound() {
        long one = PendingBatch.weight(message(1_000));
        PendingBatch batch = new PendingBatch(5_000, 3 * one);
        batch.add(message(1_000));
        batch.add(message(1_000));
        assertThat(batch.full()).isFalse();
        batch.add(message(1_000));
        assertThat(batch.full()).isTrue();
        assertThat(batch.take()).hasSize(3);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.full()).isFalse();
    }

    @Test
    void batch_closes_at_the_message_bound_when_messages_are_small() {
        PendingBatch batch = new PendingBatch(2, Long.MAX_VALUE);
        batch.add(message(1));
        assertThat(batch.full()).isFalse();
        batch.add(message(1));
        assertThat(batch.full()).isTrue();
    }

    @Test
    void weight_counts_key_value_and_headers() {
        assertThat(PendingBatch.weight(message(1_000))).isEqualTo(3 + 1_000 + 1 + 7);
    }
}
