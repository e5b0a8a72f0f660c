package io.secrettrail.analytics.access;

import static io.secrettrail.analytics.rules.RuleFixture.arn;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.RuleTestBase;
import io.secrettrail.analytics.snapshot.Snapshot;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessServiceTest extends RuleTestBase {
    static final String ROLE = "arn:aws:iam::123456789012:role/app";

    private List<AccessEntry> ledger(String secret, String principal) throws Exception {
        try (Connection c = fx.reader()) {
            return new AccessService().ledger(Snapshot.at(c, AS_OF), secret, principal);
        }
    }

    @Test
    void the_ledger_counts_calls_errors_and_times_per_secret_and_principal() throws Exception {
        String cache = arn("us-east-1", "prod/cache");
        fx.inventory(DB, null, true, daysAgo(300), daysAgo(10), null, null, null);
        fx.apiCall("GetSecretValue", DB, daysAgo(5), null);
        fx.apiCall("GetSecretValue", DB, daysAgo(2), "AccessDenied");
        fx.apiCall("DescribeSecret", cache, daysAgo(1), null);
        fx.serviceEvent("RotationSucceeded", DB, daysAgo(3), null); // not a caller's access
        fx.apiCall("GetSecretValue", DB, AS_OF.plusSeconds(60), null); // after asOf
        List<AccessEntry> all = ledger(null, null);
        assertThat(all).extracting(AccessEntry::secret).containsExactly(cache, DB);
        AccessEntry db = all.get(1);
        assertThat(db.principal()).isEqualTo(ROLE);
        assertThat(db.calls()).isEqualTo(2);
        assertThat(db.errors()).isEqualTo(1);
        assertThat(db.firstSeen()).isEqualTo(daysAgo(5));
        assertThat(db.lastSeen()).isEqualTo(daysAgo(2));
        assertThat(db.sourceIps()).containsExactly("10.0.0.1");
        assertThat(db.userAgents()).containsExactly("aws-sdk-java/2.25.0");
    }

    @Test
    void filters_take_an_arn_a_name_or_a_principal() throws Exception {
        String cache = arn("us-east-1", "prod/cache");
        fx.apiCall("GetSecretValue", DB, daysAgo(5), null);
        fx.apiCall("GetSecretValue", cache, daysAgo(5), null);
        assertThat(ledger(DB, null)).extracting(AccessEntry::secret).containsExactly(DB);
        assertThat(ledger("prod/db", null)).extracting(AccessEntry::secret).containsExactly(DB);
        assertThat(ledger("prod", null)).isEmpty();
        assertThat(ledger(null, ROLE)).hasSize(2);
        assertThat(ledger(null, "arn:aws:iam::123456789012:role/other")).isEmpty();
    }

    @Test
    void the_ledger_names_the_kinds_of_all_a_principals_callers_beyond_the_top_clients() throws Exception {
        fx.events(List.of(
                fx.call("GetSecretValue", daysAgo(3))
                        .secret(DB)
                        .agent("aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 AwsSecretCache/2.0.2.0")
                        .json(),
                fx.call("GetSecretValue", daysAgo(3).plusSeconds(1))
                        .secret(DB)
                        .agent("aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 AwsSecretCache/2.0.2.0")
                        .json(),
                fx.call("GetSecretValue", daysAgo(2))
                        .secret(DB)
                        .agent("aws-cli/2.9.1 Python/3.9.11")
                        .json(),
                fx.call("GetSecretValue", daysAgo(1))
                        .secret(DB)
                        .by("other")
                        .agent("curl/8.5.0")
                        .json()));
        List<AccessEntry> all;
        try (Connection c = fx.reader()) {
            all = new AccessService(1).ledger(Snapshot.at(c, AS_OF), DB, null);
        }
        assertThat(all)
                .extracting(AccessEntry::principal)
                .containsExactly(ROLE, "arn:aws:iam::123456789012:role/other");
        assertThat(all.get(0).userAgents()).hasSize(1); // one top client listed
        assertThat(all.get(0).callerKinds()).containsExactly("caching", "cli");
        assertThat(all.get(1).callerKinds()).containsExactly("unknown");
    }
}
