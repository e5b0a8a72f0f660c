package io.secrettrail.analytics.store;

import static io.secrettrail.analytics.store.ConflictingCopiesIT.OTHER;
import static io.secrettrail.analytics.store.EventStoreIT.REF;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BatchGetSecretValue by id list is one message per secret, keyed by secret, so its copies reach analytics from
 * different partitions in any order. Since issue 16 the stored-pair check is skipped for events new in a poll,
 * except for such events: a later copy that came first leaves its pair stored before its event, and a second
 * delivery of the whole event must not store that pair again (found by review).
 */
class FanOutPairsIT {
    @TempDir
    Path dir;

    static CloudTrailEvent batchRead(String id) {
        return new CloudTrailEvent(
                id,
                Instant.parse("2026-10-01T10:00:00Z"),
                CloudTrailEvent.SECRETS_MANAGER,
                "BatchGetSecretValue",
                "AwsApiCall",
                "us-east-1",
                "111111111111",
                null,
                null,
                new Principal("arn:aws:iam::111111111111:role/app", "AssumedRole", null),
                "10.0.0.1",
                "aws-sdk-java",
                List.of(
                        new CloudTrailEvent.SecretId(REF.key(), "requestParameters.secretIdList"),
                        new CloudTrailEvent.SecretId(OTHER.key(), "requestParameters.secretIdList")),
                false,
                ("{\"eventID\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_later_copy_first_then_the_whole_event_delivered_again_stores_each_pair_once() throws SQLException {
        CloudTrailEvent e = batchRead("b-1");
        try (EventStore store = EventStore.open(dir.resolve("s.duckdb"));
                Connection r = store.reader()) {
            Batch first = new Batch();
            first.event(new Batch.EventRow(e, OTHER, false, "trail/a.json", 1L)); // copy 1/2 alone
            store.write(first);
            Batch then = new Batch();
            then.event(new Batch.EventRow(e, REF, true, "trail/a.json", 1L)); // copy 0/2
            then.event(new Batch.EventRow(e, OTHER, false, "trail/b.json", 1L)); // 1/2 of a second delivery
            store.write(then);
            assertThat(EventStoreIT.count(r, "SELECT count(*) FROM events")).isEqualTo(1);
            assertThat(EventStoreIT.count(r, "SELECT count(*) FROM event_secrets"))
                    .isEqualTo(2);
            assertThat(EventStoreIT.count(r, "SELECT count(DISTINCT pair_key) FROM event_secrets"))
                    .isEqualTo(2);
        }
    }
}
