package io.secrettrail.analytics.dashboard;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.rules.RuleTestBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §1 on the dashboard: a secret an inventory tombstone says left the listing is still listed (its calls
 * are history) but shown as gone and not counted among the live secrets; each row carries the report's exists.
 */
class GoneSecretsDashboardTest extends RuleTestBase {
    static final String PURGED = arn("us-east-1", "old/cache");
    static final String TYPO = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/dbb";
    static final Instant GONE_AT = Instant.parse("2026-11-11T00:00:00Z");

    private void dbPurgedAndATypo() throws Exception {
        fx.inventory(DB, null, true, daysAgo(200), null, null, null, null);
        fx.inventory(PURGED, null, true, daysAgo(200), null, null, null, null);
        fx.coverage("us-east-1");
        fx.apiCall("GetSecretValue", DB, daysAgo(2), null);
        fx.apiCall("GetSecretValue", PURGED, daysAgo(15), null);
        fx.events(List.of(fx.call("GetSecretValue", daysAgo(1))
                .by("prober")
                .secret("prod/dbb")
                .error("AccessDeniedException", "not authorized")
                .json()));
    }

    private static SecretRow row(DashboardService d, String arn) throws Exception {
        return d.secrets(Filters.ALL, null, null, null, "name", false, 1, 100).items().stream()
                .filter(r -> r.arn().equals(arn))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void a_secret_that_left_the_listing_is_shown_gone_and_not_counted_live() throws Exception {
        dbPurgedAndATypo();
        fx.gone(PURGED, GONE_AT);
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            assertThat(reports.tick(Clock.fixed(AS_OF, ZoneOffset.UTC))).isTrue();
            DashboardService d = new DashboardService(fx.store(), reports);

            SecretRow purged = row(d, PURGED);
            assertThat(purged.state()).isEqualTo(SecretRow.GONE);
            assertThat(purged.live()).isFalse();
            assertThat(purged.goneAt()).isEqualTo("2026-11-11T00:00:00Z");
            assertThat(purged.calls()).as("its calls stay: history").isEqualTo(1);
            assertThat(purged.exists()).as("it was listed: it existed").isTrue();

            SecretRow db = row(d, DB);
            assertThat(db.state()).isEqualTo(SecretRow.LIVE);
            assertThat(db.goneAt()).isNull();
            assertThat(db.exists()).isTrue();
            assertThat(row(d, TYPO).exists())
                    .as("never confirmed in a covered region")
                    .isFalse();

            Overview o = d.overview(Filters.ALL);
            assertThat(o.goneSecrets()).isEqualTo(1);
            assertThat(o.secrets()).as("DB and the typo; not the purged one").isEqualTo(2);
            assertThat(o.topSecrets()).extracting(Count::key).contains(PURGED);

            SecretDetail detail = d.secret(PURGED, Filters.ALL);
            assertThat(detail.secret().state()).isEqualTo(SecretRow.GONE);
        }
    }

    @Test
    void without_a_tombstone_every_listed_secret_is_live() throws Exception {
        dbPurgedAndATypo();
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            reports.tick(Clock.fixed(AS_OF, ZoneOffset.UTC));
            DashboardService d = new DashboardService(fx.store(), reports);
            assertThat(row(d, PURGED).state()).isEqualTo(SecretRow.LIVE);
            Overview o = d.overview(Filters.ALL);
            assertThat(o.goneSecrets()).isZero();
            assertThat(o.secrets()).isEqualTo(3);
        }
    }

    @Test
    void before_the_first_report_exists_is_unknown_but_gone_is_known() throws Exception {
        dbPurgedAndATypo();
        fx.gone(PURGED, GONE_AT);
        try (ReportCache reports = new ReportCache(fx.store(), ReportSettings.defaults(), () -> AS_OF)) {
            DashboardService d = new DashboardService(fx.store(), reports);
            assertThat(row(d, PURGED).exists()).isNull();
            assertThat(row(d, PURGED).state()).isEqualTo(SecretRow.GONE);
        }
    }
}
