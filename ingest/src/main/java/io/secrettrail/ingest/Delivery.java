package io.secrettrail.ingest;

import io.secrettrail.core.Times;
import io.secrettrail.core.event.TrailReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * That CloudTrail delivered a file: the account and region it is for, its name, and the latest
 * eventTime of all its records (every service, kept or not), never later than when ingest read the
 * file. Secrets Manager events alone are too sparse to tell a quiet account from a trail that
 * stopped; files arrive every few minutes while a trail delivers, so analytics judges silence by these.
 *
 * <p>The bound is what stops a writer of trail files from dating records hours ahead: such a file
 * would otherwise count as a delivery at that future time and keep its account and region from
 * going silent until then, and a report made before that time would not see the file at all,
 * its real records included. A file proves at most that the trail delivered when it was read.
 *
 * <p>Published on the events topic keyed {@code delivery:ACCOUNT:REGION} (one account and
 * region's deliveries stay in order in one partition), a small JSON object as its value. Only
 * file sources deliver: LookupEvents answers pages, not files.
 *
 * @param file the file's name as ingest reports it (a path under the trail root, an s3:// URL)
 */
public record Delivery(String account, String region, String file, Instant latestEventTime, long records) {
    /** Prefix of a delivery message's key; no event's key starts so (those are ARNs or ACCOUNT:REGION). */
    public static final String KEY_PREFIX = "delivery:";

    /**
     * CloudTrail's file name: {@code ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz}, the
     * same under an organisation trail's {@code o-ID/} prefix.
     */
    private static final Pattern NAME = Pattern.compile("(?:^|/)(\\d{12})_CloudTrail_([a-z0-9-]{1,40})_[^/]*$");

    /**
     * The delivery a file read at {@code readAt} makes, or null when its name is not CloudTrail's or
     * no record had a readable time. Its time is the file's latest eventTime, or {@code readAt} when
     * a record is dated later (a writer's clock ahead, or a record dated ahead on purpose).
     */
    public static Delivery of(String name, TrailReader.Result read, Instant readAt) {
        if (read.latestEventTime() == null) {
            return null;
        }
        Matcher m = NAME.matcher(name);
        if (!m.find()) {
            return null;
        }
        Instant latest = read.latestEventTime().isAfter(readAt) ? readAt : read.latestEventTime();
        return new Delivery(m.group(1), m.group(2), name, latest, read.records());
    }

    public String key() {
        return KEY_PREFIX + account + ":" + region;
    }

    /** The message value: {"account","region","file","latestEventTime","records"}. */
    public byte[] json() {
        var o = io.secrettrail.core.Json.mapper().createObjectNode();
        o.put("account", account);
        o.put("region", region);
        o.put("file", file);
        o.put("latestEventTime", Times.format(latestEventTime));
        o.put("records", records);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
