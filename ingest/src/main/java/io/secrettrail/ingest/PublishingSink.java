package io.secrettrail.ingest;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Rejection;
import io.secrettrail.core.event.TrailReader;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what one file (or API page) holds to Kafka: events to the events topic, rejections to the
 * dead-letter topic. The first rejections of a run are logged one by one, naming file, record and
 * field; the rest are counted.
 */
public final class PublishingSink implements TrailReader.Sink {
    private static final Logger log = LoggerFactory.getLogger(PublishingSink.class);
    /** Beyond this many per run, rejections are counted but not logged one by one. */
    public static final int LOGGED_REJECTIONS = 20;

    private final EventPublisher publisher;
    private final String name;
    private final AtomicLong logged;
    private final Predicate<CloudTrailEvent> take;

    /** @param logged rejections logged so far in the run, shared by its sinks */
    public PublishingSink(EventPublisher publisher, String name, AtomicLong logged) {
        this(publisher, name, logged, e -> true);
    }

    /** @param take false for an event that must not be published (already published by an earlier pass) */
    public PublishingSink(EventPublisher publisher, String name, AtomicLong logged, Predicate<CloudTrailEvent> take) {
        this.publisher = publisher;
        this.name = name;
        this.logged = logged;
        this.take = take;
    }

    @Override
    public void accept(CloudTrailEvent event, long recordIndex) {
        if (take.test(event)) {
            publisher.event(event, name, recordIndex);
        }
    }

    @Override
    public void reject(Rejection rejection) {
        log(rejection, logged);
        publisher.deadLetter(rejection);
    }

    static void log(Rejection r, AtomicLong logged) {
        if (logged.incrementAndGet() <= LOGGED_REJECTIONS) {
            log.warn("rejected {}", r.message());
        }
    }
}
