package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchMultiRegionRuleTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofHours(1));
    static final List<String> REGIONS =
            List.of("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1");

    private List<String> sweep(String role, int regions, Duration span) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < regions; i++) {
            out.add(fx.call(
                            "BatchGetSecretValue",
                            T0.plusMillis(regions == 1 ? 0 : span.toMillis() * i / (regions - 1)))
                    .by(role)
                    .in(REGIONS.get(i))
                    .params("{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!x\"]}]}")
                    .json());
        }
        return out;
    }

    @Test
    void five_regions_within_nine_minutes_fifty_nine_raise_it() throws Exception {
        fx.events(sweep("intruder", 5, Duration.ofSeconds(599)));
        Finding f = fx.finding("batch-multi-region", role("intruder"), AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::severity, Finding::reason, Finding::region)
                .containsExactly(
                        "alarm",
                        "high",
                        "called BatchGetSecretValue in 5 regions in 9 min 59 s (threshold: 5 within 10 minutes):"
                                + " ap-southeast-2, eu-central-1, eu-west-1, us-east-1, us-west-2",
                        null);
        assertThat(f.evidence().counts()).containsEntry("regions", 5).containsEntry("calls", 5);
    }

    @Test
    void four_regions_or_five_over_ten_minutes_and_one_second_do_not() throws Exception {
        fx.events(sweep("four", 4, Duration.ofSeconds(10)));
        fx.events(sweep("slow", 5, Duration.ofSeconds(601)));
        fx.events(sweep("exactly", 5, Duration.ofSeconds(600)));
        assertThat(fx.run("batch-multi-region", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("exactly"));
    }

    @Test
    void many_calls_in_one_region_and_get_secret_value_across_regions_do_not() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(fx.call("BatchGetSecretValue", T0.plusSeconds(i))
                    .by("local")
                    .params("{\"secretIdList\":[\"" + DB + "\"]}")
                    .json());
            events.add(fx.call("GetSecretValue", T0.plusSeconds(i))
                    .by("roamer")
                    .in(REGIONS.get(i % REGIONS.size()))
                    .secret("prod/db")
                    .json());
        }
        fx.events(events);
        assertThat(fx.run("batch-multi-region", AS_OF, Map.of())).isEmpty();
    }
}
