package io.secrettrail.analytics.live;

import io.secrettrail.analytics.store.Batch;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A decoded poll: the batch to write, the offsets to commit after it, how many messages it holds,
 * the messages that could not be decoded, and the message each event row came from.
 */
record Decoded(
        Batch batch,
        Map<TopicPartition, OffsetAndMetadata> commit,
        int messages,
        List<Poison> poison,
        Map<Batch.EventRow, ConsumerRecord<byte[], byte[]>> origins) {}
