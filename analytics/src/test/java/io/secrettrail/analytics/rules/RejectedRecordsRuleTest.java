package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.store.Batch;
import io.secrettrail.core.event.RejectionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12, item 18: rejected Secrets Manager records are a signal; past a threshold per source, an alert. */
class RejectedRecordsRuleTest extends RuleTestBase {
    /** n rejections of Secrets Manager records (sm true, false or null) from files of a source, the last at {@code last}. */
    static List<Batch.RejectionRow> rejected(String prefix, int n, int files, Instant last, Duration span, Boolean sm) {
        List<Batch.RejectionRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String file = prefix + "/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21/f" + (i % files) + ".json.gz";
            Instant at = last.minusMillis(n == 1 ? 0 : span.toMillis() * (n - 1 - i) / (n - 1));
            out.add(new Batch.RejectionRow(
                    file + "#" + (i + 1),
                    at,
                    RejectionSource.of(file),
                    file,
                    (long) i + 1,
                    "eventTime",
                    "expected a string, found a number",
                    sm,
                    "ingest"));
        }
        return out;
    }

    @Test
    void ten_rejected_secrets_manager_records_from_one_bucket_within_a_day_raise_it() throws Exception {
        fx.rejections(rejected("s3://trail-bucket", 10, 2, AS_OF.minusSeconds(60), Duration.ofHours(23), true));
        Finding f = fx.finding("rejected-records", "s3://trail-bucket", AS_OF);
        assertThat(f).extracting(Finding::status, Finding::severity).containsExactly("alarm", "high");
        assertThat(f.reason())
                .isEqualTo("10 rejected records that were Secrets Manager events, from s3://trail-bucket in 2 files"
                        + " (threshold: 10 within 24 hours); most in: s3://trail-bucket/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21/f0.json.gz (5),"
                        + " s3://trail-bucket/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21/f1.json.gz (5)");
        assertThat(f.evidence().counts())
                .containsEntry("rejected", 10)
                .containsEntry("secretsManager", 10)
                .containsEntry("files", 2);
    }

    @Test
    void nine_or_other_services_or_older_than_the_window_do_not() throws Exception {
        fx.rejections(rejected("s3://nine", 9, 1, AS_OF, Duration.ofHours(1), true));
        fx.rejections(rejected("s3://other-service", 30, 1, AS_OF, Duration.ofHours(1), false));
        // the oldest of ten exactly 24 h before asOf: outside the window, nine remain
        fx.rejections(rejected("s3://old", 10, 1, AS_OF, Duration.ofHours(24), true));
        // one second later: all ten are inside
        fx.rejections(rejected("s3://edge", 10, 1, AS_OF, Duration.ofHours(24).minusSeconds(1), true));
        assertThat(fx.run("rejected-records", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly("s3://edge");
    }

    @Test
    void unreadable_records_may_have_been_secrets_manager_events_and_a_copy_published_twice_counts_once()
            throws Exception {
        List<Batch.RejectionRow> rows = rejected("trail", 10, 1, AS_OF, Duration.ofHours(2), null);
        fx.rejections(rows);
        fx.rejections(rows.subList(0, 5)); // dead letters published again after a crash
        Finding f = fx.finding("rejected-records", "trail", AS_OF);
        assertThat(f.reason())
                .startsWith(
                        "10 rejected records that were or may have been Secrets Manager events, from trail in 1 file");
        assertThat(f.evidence().counts()).containsEntry("rejected", 10).containsEntry("secretsManager", 0);
        assertThat(fx.run("rejected-records", AS_OF, Map.of("rejected.records", "11")))
                .isEmpty();
    }
}
