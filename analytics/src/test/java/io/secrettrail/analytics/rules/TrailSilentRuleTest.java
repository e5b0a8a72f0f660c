package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14: an account and region that delivered trail files and went quiet for trail.silenceHours. */
class TrailSilentRuleTest extends RuleTestBase {
    static final String US = "111111111111:us-east-1";

    @Test
    void silent_from_exactly_six_hours_after_the_latest_record_and_not_a_second_before() throws Exception {
        fx.delivery("111111111111", "us-east-1", "a.json.gz", AS_OF.minus(Duration.ofHours(9)));
        fx.delivery("111111111111", "us-east-1", "b.json.gz", AS_OF.minus(Duration.ofHours(6)));
        Finding f = fx.finding("trail-silent", US, AS_OF);
        assertThat(f).extracting(Finding::status, Finding::severity).containsExactly("alarm", "high");
        assertThat(f.reason())
                .isEqualTo("no trail file since one with records up to 2026-11-21T06:00:00Z: silent for 6 hours;"
                        + " the limit is 6");
        assertThat(f.evidence().counts()).containsEntry("files", 2).containsEntry("silentHours", 6);
        assertThat(f.lastSeen()).isEqualTo(AS_OF.minus(Duration.ofHours(6)));
        assertThat(fx.finding("trail-silent", US, AS_OF.minusSeconds(1)))
                .extracting(Finding::status, Finding::reason)
                .containsExactly(
                        "ok", "latest trail file has records up to 2026-11-21T06:00:00Z; the limit is 6 hours");
    }

    @Test
    void a_delivery_ends_the_silence() throws Exception {
        fx.delivery("111111111111", "us-east-1", "a.json.gz", AS_OF.minus(Duration.ofHours(30)));
        assertThat(fx.finding("trail-silent", US, AS_OF).status()).isEqualTo("alarm");
        fx.delivery("111111111111", "us-east-1", "b.json.gz", AS_OF.minus(Duration.ofMinutes(5)));
        assertThat(fx.finding("trail-silent", US, AS_OF).status()).isEqualTo("ok");
    }

    @Test
    void each_account_and_region_is_judged_alone_and_one_that_never_delivered_is_not_judged() throws Exception {
        fx.delivery("111111111111", "us-east-1", "a.json.gz", AS_OF.minus(Duration.ofHours(7)));
        fx.delivery("111111111111", "eu-west-1", "b.json.gz", AS_OF.minus(Duration.ofHours(1)));
        fx.delivery("222222222222", "us-east-1", "c.json.gz", AS_OF.minus(Duration.ofHours(12)));
        assertThat(fx.run("trail-silent", AS_OF, Map.of()))
                .extracting(Finding::resource, Finding::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("111111111111:eu-west-1", "ok"),
                        org.assertj.core.groups.Tuple.tuple("111111111111:us-east-1", "alarm"),
                        org.assertj.core.groups.Tuple.tuple("222222222222:us-east-1", "alarm"));
        fx.apiCall("GetSecretValue", DB, AS_OF.minusSeconds(60), null);
        assertThat(fx.run("trail-silent", AS_OF, Map.of())).hasSize(3);
    }

    @Test
    void a_report_of_an_earlier_time_does_not_see_files_of_later_records() throws Exception {
        fx.delivery("111111111111", "us-east-1", "a.json.gz", AS_OF.minus(Duration.ofHours(10)));
        fx.delivery("111111111111", "us-east-1", "b.json.gz", AS_OF);
        assertThat(fx.finding("trail-silent", US, AS_OF.minusSeconds(1)).status())
                .isEqualTo("alarm");
        assertThat(fx.finding("trail-silent", US, AS_OF).status()).isEqualTo("ok");
    }

    @Test
    void the_limit_is_trail_silence_hours_and_a_bad_value_is_refused() throws Exception {
        fx.delivery("111111111111", "us-east-1", "a.json.gz", AS_OF.minus(Duration.ofHours(3)));
        assertThat(fx.finding("trail-silent", US, AS_OF).status()).isEqualTo("ok");
        assertThat(fx.finding("trail-silent", US, AS_OF, Map.of("trail.silenceHours", "3"))
                        .status())
                .isEqualTo("alarm");
        assertThatThrownBy(() -> fx.run("trail-silent", AS_OF, Map.of("trail.silenceHours", "0")))
                .hasMessage("trail.silenceHours: must be 1..720, was 0");
        assertThatThrownBy(() -> fx.run("trail-silent", AS_OF, Map.of("trail.silenceHours", "six")))
                .hasMessageStartingWith("trail.silenceHours: ");
    }
}
