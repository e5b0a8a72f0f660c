package io.secrettrail.analytics.live;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A message analytics cannot decode or store: it goes to the dead-letter topic with the reason and
 * where it was, and the consumer moves on.
 *
 * @param field the offending field, or null when the message itself is unreadable
 * @param error what is wrong, in a sentence (never quoting the message's bytes)
 */
public record Poison(ConsumerRecord<byte[], byte[]> message, String field, String error) {
    /** topic-partition@offset: the dead letter's key, so a copy published twice counts once. */
    public String where() {
        return message.topic() + "-" + message.partition() + "@" + message.offset();
    }
}
