package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The store's statement files where two of them must say the same thing. */
class StoreSqlTest {
    @Test
    void the_two_sql_copies_of_what_confirms_a_secret_agree() {
        // NameTracker.confirms is the Java twin of this condition
        String confirms =
                "((e.error_code IS NULL AND e.event_name <> 'BatchGetSecretValue') OR coalesce(e.event_type, '') <> 'AwsApiCall')";
        assertThat(Sql.text("store/unconfirmed-names")).contains(confirms);
        assertThat(Sql.text("store/rollups-tracked")).contains(confirms);
    }
}
