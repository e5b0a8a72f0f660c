package io.secrettrail.app;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.ingest.TopicSetup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a process that consumes runs: whether the events topic still keeps its records forever. It is the only copy
 * of the raw records, and a process checks it at start ({@link TopicSetup#requireKeptForever}); someone may still
 * give it a finite {@code retention.ms} afterwards, and Kafka would then delete raw records without a word. The
 * topic's settings are read again at most every {@link #CHECK_EVERY} by the clock (the last answer stands
 * between), so /health/ready, which asks on every probe, costs the broker one request per period. A change to a
 * finite retention is logged once as an error with the command that restores it, and readiness fails until then.
 */
final class RetentionWatch {
    static final Duration CHECK_EVERY = Duration.ofMinutes(5);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(RetentionWatch.class);

    private final Admin admin;
    private final KafkaSettings kafka;
    private final Clock clock;
    private Instant checkedAt;
    private String problem; // null: kept forever, as far as the last answer knows

    RetentionWatch(Admin admin, KafkaSettings kafka, Clock clock) {
        this.admin = admin;
        this.kafka = kafka;
        this.clock = clock;
    }

    /** True while the last answer of the broker (read again when {@link #CHECK_EVERY} has passed) keeps everything. */
    synchronized boolean keptForever() {
        Instant now = clock.instant();
        if (checkedAt == null || !now.isBefore(checkedAt.plus(CHECK_EVERY))) {
            checkedAt = now;
            check();
        }
        return problem == null;
    }

    /** What is wrong with the events topic's retention (the refusal's message), or null. */
    synchronized String problem() {
        return problem;
    }

    private void check() {
        try {
            TopicSetup.requireKeptForever(admin, kafka, ANSWER_WITHIN);
            if (problem != null) {
                log.info(
                        "the events topic {} keeps its records forever again",
                        kafka.topics().events());
            }
            problem = null;
        } catch (TopicSetup.RetentionException e) {
            if (problem == null) {
                log.error("{}", e.getMessage());
            }
            problem = e.getMessage();
        } catch (ExecutionException | TimeoutException e) {
            // the broker does not answer: readiness's broker check says so; the last answer stands, asked again
            // on the next probe
            checkedAt = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checkedAt = null;
        }
    }
}
