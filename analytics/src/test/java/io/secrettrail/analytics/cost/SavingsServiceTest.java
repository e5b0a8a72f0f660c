package io.secrettrail.analytics.cost;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.report.Report;
import io.secrettrail.analytics.report.ReportService;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavingsServiceTest extends RuleTestBase {
    static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");

    private List<Saving> savings(Instant asOf) throws Exception {
        try (Connection c = fx.reader()) {
            Report r = new ReportService(c).build(asOf, 0, 0, 0);
            return r.cost().savings();
        }
    }

    /** {@code n} reads spread evenly over [from, from + span). */
    static List<Instant> reads(Instant from, Duration span, int n) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(from.plusMillis(span.toMillis() * i / n));
        }
        return out;
    }

    @Test
    void deleting_an_unused_primary_saves_it_and_its_replica() throws Exception {
        fx.inventory(DB, "us-east-1", false, OLD, null, null, null, null);
        fx.inventory(arn("eu-west-1", "prod/db"), "us-east-1", false, OLD, null, null, null, null);
        // the trail of both regions covers the 90-day window: "never read" is a finding, not a gap
        fx.historyFrom("us-east-1", OLD);
        fx.historyFrom("eu-west-1", OLD);
        assertThat(savings(Instant.parse("2026-11-21T12:00:00Z")))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.kind()).isEqualTo("delete-unused");
                    assertThat(s.resource()).isEqualTo(DB);
                    assertThat(s.monthlyUsd()).hasToString("0.80");
                    assertThat(s.reason())
                            .isEqualTo("delete the unused secret and its replica: never read; the window is 90 days; "
                                    + "deleting it and its replica saves $0.80 a month");
                });
    }

    @Test
    void the_saving_of_deleting_a_secret_and_its_replica_takes_each_regions_own_price() throws Exception {
        fx.inventory(DB, "us-east-1", false, OLD, null, null, null, null);
        fx.inventory(arn("eu-west-1", "prod/db"), "us-east-1", false, OLD, null, null, null, null);
        fx.historyFrom("us-east-1", OLD);
        fx.historyFrom("eu-west-1", OLD);
        Instant asOf = Instant.parse("2026-11-21T12:00:00Z");
        try (Connection c = fx.reader()) {
            io.secrettrail.analytics.report.ReportSettings settings = io.secrettrail.analytics.report.ReportSettings.of(
                    java.util.Map.of("price.region.eu-west-1.secretMonthUsd", "0.48"));
            List<UnusedSecret> unused = List.of(new UnusedSecret(DB, "never read; the window is 90 days"));
            List<Saving> out = new SavingsService(settings.prices(), 60, Duration.ofHours(1))
                    .compute(io.secrettrail.analytics.snapshot.Snapshot.at(c, asOf), unused);
            // the primary in us-east-1 at the global 0.40, its replica in eu-west-1 at its own 0.48
            assertThat(out)
                    .singleElement()
                    .satisfies(s -> assertThat(s.monthlyUsd()).hasToString("0.88"));
        }
    }

    @Test
    void a_hot_reader_is_told_what_caching_for_an_hour_would_save() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        fx.apiCalls("GetSecretValue", DB, reads(start, Duration.ofHours(2), 130));
        assertThat(savings(start.plus(Duration.ofHours(2)))).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo("cache");
            assertThat(s.principal()).isEqualTo("arn:aws:iam::123456789012:role/app");
            // 130 reads in 2 h from one caller; cached, 2 reads: 128 saved per 2 h, 46,080 a 720-h month
            assertThat(s.reason())
                    .isEqualTo(
                            "arn:aws:iam::123456789012:role/app reads it 65 times an hour on average from "
                                    + "1 caller instance (the threshold is 60); caching for 1 h would save 46,080 calls a month");
            assertThat(s.monthlyUsd()).hasToString("0.23");
        });
    }

    @Test
    void exactly_the_threshold_is_not_hot_and_one_read_more_is() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        fx.apiCalls("GetSecretValue", DB, reads(start, Duration.ofHours(2), 120));
        Instant asOf = start.plus(Duration.ofHours(2));
        assertThat(savings(asOf)).isEmpty();
        fx.apiCalls("GetSecretValue", DB, List.of(asOf.minusSeconds(1)));
        assertThat(savings(asOf)).extracting(Saving::kind).containsExactly("cache");
    }

    private void cachedReads(List<Instant> times, String agent) throws Exception {
        List<String> records = new ArrayList<>();
        for (Instant t : times) {
            records.add(fx.call("GetSecretValue", t).secret(DB).agent(agent).json());
        }
        fx.events(records);
    }

    @Test
    void a_hot_reader_already_behind_a_caching_client_is_not_told_to_add_one() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        // 130 reads in 2 h, as in the hot reader above, but through AWS's Java caching client
        cachedReads(
                reads(start, Duration.ofHours(2), 130),
                "aws-sdk-java/2.25.0 Linux/6.1 Java/17.0.9 AwsSecretCache/2.0.0");
        assertThat(savings(start.plus(Duration.ofHours(2)))).isEmpty();
    }

    @Test
    void a_principals_uncached_callers_still_count_beside_its_cached_ones() throws Exception {
        fx.inventory(DB, null, true, OLD, null, null, null, null);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        cachedReads(
                reads(start, Duration.ofHours(2), 130),
                "aws-sdk-rust/1.3.3 os/linux lang/rust/1.82.0 aws-secrets-manager-agent/2.0.0");
        fx.apiCalls("GetSecretValue", DB, reads(start, Duration.ofHours(2), 121)); // a plain SDK, just hot
        assertThat(savings(start.plus(Duration.ofHours(2)))).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo("cache");
            assertThat(s.reason()).contains("from 1 caller instance");
        });
    }
}
