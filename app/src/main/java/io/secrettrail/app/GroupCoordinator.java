package io.secrettrail.app;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for Kafka's group coordinator before a consumer first commits. On a fresh broker the first
 * lookup creates the offsets topic, which then loads for a few seconds; a consumer committing in
 * that time is told "not the correct coordinator", retries, and the Kafka client logs a warning
 * for each try that a user can do nothing about. The admin client's lookup retries quietly, so
 * asking it first lets the consumer's commits find the coordinator ready. Not finding it in time
 * is no error: the consumer's commits are retried anyway, and DuckDB holds the offsets that count.
 */
final class GroupCoordinator {
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private GroupCoordinator() {}

    static void await(Admin admin, String group, Duration timeout) {
        try {
            admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("group coordinator for {} not ready within {} ms: {}", group, timeout.toMillis(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
