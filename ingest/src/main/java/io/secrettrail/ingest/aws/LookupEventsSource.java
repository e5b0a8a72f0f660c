package io.secrettrail.ingest.aws;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.TrailReader;
import io.secrettrail.ingest.CheckpointLog;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.PublishingSink;
import io.secrettrail.ingest.Source;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * CloudTrail LookupEvents for Secrets Manager in one account and region.
 *
 * <p>The checkpoint is the time up to which every query has completed ({@code H} lines) plus the
 * eventIDs published since {@code overlap} before it ({@code E} lines). Each pass asks again from
 * {@code overlap} before that time, because LookupEvents shows events minutes after they
 * happened, and skips the eventIDs it has; with {@code overlap = 0} this is exactly "the last
 * time plus the eventIDs seen at that second". The first start goes back {@code backfill} (at most
 * 90 days, all LookupEvents keeps) in windows of at most {@code window}, each completed before the
 * next, so the eventIDs held stay bounded. A page's eventIDs are checkpointed once Kafka has its
 * events, so a pass cut short is resumed without publishing them again. Requests are paced by the
 * client (2 per second per account and region) and the SDK backs off on ThrottlingException.
 */
public final class LookupEventsSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(LookupEventsSource.class);
    /** LookupEvents returns events of the last 90 days only. */
    static final Duration RETENTION = Duration.ofDays(90);

    private final CloudTrailClient cloudTrail;
    private final String account;
    private final String region;
    private final AwsConfig.Lookup config;
    private final CheckpointLog checkpoint;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Map<String, Long> published = new HashMap<>();
    private final AtomicLong rejectionsLogged = new AtomicLong();
    /** Passes of one source never overlap: one reader serves them all. */
    private final TrailReader reader;

    private Instant high;

    public LookupEventsSource(
            CloudTrailClient cloudTrail,
            String account,
            String region,
            AwsConfig.Lookup config,
            Path checkpointFile,
            EventPublisher publisher,
            int maxFieldChars,
            Clock clock)
            throws IOException {
        this(
                cloudTrail,
                account,
                region,
                config,
                checkpointFile,
                publisher,
                io.secrettrail.core.event.ReadLimits.withFieldChars(maxFieldChars),
                clock);
    }

    public LookupEventsSource(
            CloudTrailClient cloudTrail,
            String account,
            String region,
            AwsConfig.Lookup config,
            Path checkpointFile,
            EventPublisher publisher,
            io.secrettrail.core.event.ReadLimits limits,
            Clock clock)
            throws IOException {
        if (config.window().compareTo(config.overlap()) <= 0) {
            throw new IllegalArgumentException("aws.lookup.window (" + config.window()
                    + ") must be longer than aws.lookup.overlap (" + config.overlap() + ")");
        }
        this.cloudTrail = cloudTrail;
        this.account = account;
        this.region = region;
        this.config = config;
        this.checkpoint = new CheckpointLog(checkpointFile);
        this.publisher = publisher;
        this.reader = new TrailReader(limits);
        this.clock = clock;
        for (String line : checkpoint.lines()) {
            String[] f = line.split(" ", 3);
            try {
                if (f[0].equals("H") && f.length == 2) {
                    high = Instant.ofEpochSecond(Long.parseLong(f[1]));
                } else if (f[0].equals("E") && f.length == 3) {
                    published.put(f[2], Long.parseLong(f[1]));
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                log.warn("{}: skipping a malformed checkpoint line: {}", checkpointFile, line);
            }
        }
    }

    @Override
    public String name() {
        return "cloudtrail-lookup:" + account + "/" + region;
    }

    @Override
    public String kind() {
        return "lookup";
    }

    @Override
    public Duration interval() {
        return config.interval();
    }

    /** The time up to which queries have completed, or null before the first. */
    public Instant completedThrough() {
        return high;
    }

    @Override
    public long poll(BooleanSupplier stopping) throws IOException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant oldest = now.minus(RETENTION);
        Instant start = high == null ? now.minus(config.backfill()) : high.minus(config.overlap());
        if (start.isBefore(oldest)) {
            log.warn(
                    "{}: last completed at {}, more than 90 days ago; LookupEvents keeps 90 days, so events before {} can only come"
                            + " from the trail's S3 files",
                    name(),
                    high,
                    oldest);
            start = oldest;
        }
        long records = 0;
        while (start.isBefore(now)) {
            Instant end = start.plus(config.window()).isBefore(now) ? start.plus(config.window()) : now;
            Long read = query(start, end, stopping);
            if (read == null) {
                return records; // stopping: the pages done are checkpointed, the window is not complete
            }
            records += read;
            complete(end);
            start = end;
        }
        if (records > 0) {
            log.info("{}: {} new events, complete through {}", name(), records, high);
        }
        return records;
    }

    /** All pages of one window. @return records read, or null when stopped part-way */
    private Long query(Instant start, Instant end, BooleanSupplier stopping) throws IOException {
        LookupEventsRequest.Builder request = LookupEventsRequest.builder()
                .lookupAttributes(LookupAttribute.builder()
                        .attributeKey(LookupAttributeKey.EVENT_SOURCE)
                        .attributeValue(CloudTrailEvent.SECRETS_MANAGER)
                        .build())
                .startTime(start)
                .endTime(end)
                .maxResults(50);
        long records = 0;
        String token = null;
        int page = 0;
        do {
            if (stopping.getAsBoolean()) {
                return null;
            }
            LookupEventsResponse r =
                    cloudTrail.lookupEvents(request.nextToken(token).build());
            page++;
            records += publish(r.events(), name() + "@" + start + "/" + end + "#page" + page);
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        return records;
    }

    /** Publishes the page's events not published before, then checkpoints their eventIDs. */
    private long publish(List<Event> events, String name) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Map<String, Long> fresh = new java.util.LinkedHashMap<>();
        for (Event e : events) {
            String id = e.eventId();
            if (id == null || published.containsKey(id) || e.cloudTrailEvent() == null) {
                continue;
            }
            byte[] json = e.cloudTrailEvent().getBytes(StandardCharsets.UTF_8);
            lines.write(json, 0, json.length);
            lines.write('\n');
            fresh.put(id, e.eventTime() == null ? 0 : e.eventTime().getEpochSecond());
        }
        if (fresh.isEmpty()) {
            return 0;
        }
        TrailReader.Result r =
                reader.read(lines.toByteArray(), name, new PublishingSink(publisher, name, rejectionsLogged));
        if (r.fileError() != null) {
            throw new IOException(name + ": " + r.fileError()); // nothing checkpointed: the page is asked for again
        }
        publisher.flush();
        List<String> checkpointLines = new ArrayList<>(fresh.size());
        fresh.forEach((id, at) -> checkpointLines.add("E " + at + " " + id));
        checkpoint.append(checkpointLines);
        published.putAll(fresh);
        return r.records();
    }

    /** Everything up to {@code end} has been queried: forget eventIDs too old to be seen again. */
    private void complete(Instant end) throws IOException {
        high = end;
        long keepFrom = end.minus(config.overlap()).getEpochSecond();
        published.values().removeIf(t -> t < keepFrom);
        List<String> lines = new ArrayList<>(published.size() + 1);
        lines.add("H " + end.getEpochSecond());
        published.forEach((id, t) -> lines.add("E " + t + " " + id));
        checkpoint.rewrite(lines);
    }
}
