package io.secrettrail.analytics.rules;

import static io.secrettrail.analytics.rules.RuleFixture.role;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filters as in Stratus Red Team's batch-retrieve detonation and Panther's catch-all tests. */
class BatchRetrievalRuleTest extends RuleTestBase {
    static final Instant T0 = AS_OF.minus(Duration.ofHours(1));
    static final String STRATUS = "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"StratusRedTeam\"]}]}";
    static final String CATCH_ALL = "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!tagKeyThatWillNeverExist\"]}]}";
    static final String CATCH_ALL_AND_TAG =
            "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!tagKeyThatWillNeverExist\"]},"
                    + "{\"key\":\"tag-key\",\"values\":[\"tagThatExists\"]}]}";

    private List<String> calls(String role, int n, Duration span, String params) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.call("BatchGetSecretValue", T0.plusMillis(n == 1 ? 0 : span.toMillis() * i / (n - 1)))
                    .by(role)
                    .params(params)
                    .json());
        }
        return out;
    }

    @Test
    void five_filter_calls_within_ten_minutes_are_medium() throws Exception {
        fx.events(calls("intruder", 5, Duration.ofSeconds(599), STRATUS));
        Finding f = fx.finding("batch-retrieval", role("intruder"), AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::severity, Finding::reason)
                .containsExactly(
                        "alarm",
                        "medium",
                        "made 5 filter-based BatchGetSecretValue calls in 9 min 59 s (threshold: 5 within 10 minutes)");
        assertThat(f.evidence().counts())
                .containsEntry("calls", 5)
                .containsEntry("failed", 0)
                .containsEntry("matchAll", false);
        assertThat(f.evidence().eventIds()).hasSize(5);
    }

    @Test
    void a_filter_matching_every_secret_makes_it_high() throws Exception {
        List<String> events = calls("intruder", 4, Duration.ofSeconds(10), STRATUS);
        events.add(fx.call("BatchGetSecretValue", T0.plusSeconds(20))
                .by("intruder")
                .params(CATCH_ALL)
                .error("AccessDenied", null)
                .json());
        fx.events(events);
        assertThat(fx.finding("batch-retrieval", role("intruder"), AS_OF))
                .extracting(Finding::severity, Finding::reason)
                .containsExactly(
                        "high",
                        "made 5 filter-based BatchGetSecretValue calls in 20 s, 1 of them failing (threshold: 5 within 10 minutes);"
                                + " a filter matches every secret (each filter has a negated value)");
    }

    @Test
    void a_negated_filter_anded_with_a_plain_one_does_not_match_everything() throws Exception {
        fx.events(calls("intruder", 5, Duration.ofSeconds(10), CATCH_ALL_AND_TAG));
        assertThat(fx.finding("batch-retrieval", role("intruder"), AS_OF).severity())
                .isEqualTo("medium");
    }

    @Test
    void four_calls_or_five_over_ten_minutes_and_one_second_do_not() throws Exception {
        // tag filters, not catch-all ones: a single catch-all call alarms on its own (below)
        fx.events(calls("four", 4, Duration.ofSeconds(1), STRATUS));
        fx.events(calls("slow", 5, Duration.ofSeconds(601), STRATUS));
        fx.events(calls("exactly", 5, Duration.ofSeconds(600), STRATUS));
        assertThat(fx.run("batch-retrieval", AS_OF, Map.of()))
                .extracting(Finding::resource)
                .containsExactly(role("exactly"));
    }

    @Test
    void batches_by_id_list_and_calls_split_between_roles_do_not() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add(fx.call("BatchGetSecretValue", T0.plusSeconds(i))
                    .by("lister")
                    .params("{\"secretIdList\":[\"" + DB + "\"]}")
                    .json());
            events.add(fx.call("BatchGetSecretValue", T0.plusSeconds(i))
                    .by(i % 2 == 0 ? "a" : "b")
                    .params(STRATUS)
                    .json());
        }
        fx.events(events);
        // eight id-list batches by one role, four filter batches by each of two roles
        assertThat(fx.run("batch-retrieval", AS_OF, Map.of())).isEmpty();
        assertThat(fx.run("batch-retrieval", AS_OF, Map.of("batch.calls", "4")))
                .extracting(Finding::resource)
                .containsExactly(role("a"), role("b"));
    }

    // Issue 14: one catch-all BatchGetSecretValue (every filter holds only negated values) alarms under
    // the defaults. The record is Stratus Red Team's batch-retrieve detonation call (core's test
    // resources, stratus-red-team/events.ndjson line 1) with the filters of Panther's catch-all test.
    static final String STRATUS_CALL = "{\"awsRegion\": \"eu-westwest-1r\", \"eventCategory\": \"Management\","
            + " \"eventID\": \"61619dbf-c10b-471e-9d78-8199a2f8233a\", \"eventName\": \"BatchGetSecretValue\","
            + " \"eventSource\": \"secretsmanager.amazonaws.com\", \"eventTime\": \"2024-07-31T12:29:17Z\","
            + " \"eventType\": \"AwsApiCall\", \"eventVersion\": \"1.09\", \"managementEvent\": true, \"readOnly\": true,"
            + " \"recipientAccountId\": \"165109126369\", \"requestID\": \"d493c657-4004-4105-81f0-8f468ba0c9b3\","
            + " \"requestParameters\": FILTERS, \"responseElements\": null, \"sourceIPAddress\": \"88.223.251.255\","
            + " \"tlsDetails\": {\"cipherSuite\": \"TLS_AES_128_GCM_SHA256\", \"clientProvidedHostHeader\":"
            + " \"secretsmanager.eu-westwest-1r.amazonaws.com\", \"tlsVersion\": \"TLSv1.3\"},"
            + " \"userAgent\": \"stratus-red-team_0a05817a-84d2-40d7-afde-8311715b1ee6\", \"userIdentity\":"
            + " {\"accessKeyId\": \"AKIALK3Q0HKBKZJ2XBYP\", \"accountId\": \"165109126369\","
            + " \"arn\": \"arn:aws:iam::165109126369:user/christophe\", \"principalId\": \"AIDAIOBKTJ7YOYY9TKC4\","
            + " \"type\": \"IAMUser\", \"userName\": \"christophe\"}}";
    static final String CHRISTOPHE = "arn:aws:iam::165109126369:user/christophe";
    static final Instant STRATUS_AS_OF = Instant.parse("2024-08-01T00:00:00Z");

    @Test
    void a_single_catch_all_batch_alarms_high_under_the_defaults_issue_14() throws Exception {
        fx.events(List.of(STRATUS_CALL.replace("FILTERS", CATCH_ALL)));
        Finding f = fx.finding("batch-retrieval", CHRISTOPHE, STRATUS_AS_OF);
        assertThat(f)
                .extracting(Finding::status, Finding::severity, Finding::reason)
                .containsExactly(
                        "alarm",
                        "high",
                        "made 1 filter-based BatchGetSecretValue call; a filter matches every secret"
                                + " (each filter has a negated value), which alarms at once, below the threshold of 5"
                                + " within 10 minutes");
        assertThat(f.evidence().eventIds()).containsExactly("61619dbf-c10b-471e-9d78-8199a2f8233a");
    }

    @Test
    void a_single_tag_filter_batch_does_not_alarm() throws Exception {
        fx.events(List.of(STRATUS_CALL.replace("FILTERS", STRATUS)));
        assertThat(fx.run("batch-retrieval", STRATUS_AS_OF, Map.of())).isEmpty();
    }

    @Test
    void a_single_negated_filter_anded_with_a_plain_one_is_not_catch_all_and_does_not_alarm() throws Exception {
        fx.events(List.of(STRATUS_CALL.replace("FILTERS", CATCH_ALL_AND_TAG)));
        assertThat(fx.run("batch-retrieval", STRATUS_AS_OF, Map.of())).isEmpty();
    }
}
