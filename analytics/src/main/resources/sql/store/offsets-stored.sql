SELECT topic, kafka_partition, next_offset FROM consumer_offsets
