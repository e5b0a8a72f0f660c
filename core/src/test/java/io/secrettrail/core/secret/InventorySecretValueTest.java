package io.secrettrail.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A saved output passed as an inventory (get-secret-value's or batch-get-secret-value's entries have an ARN and a
 * Name too) keeps no secret value in the entry it publishes and stores: under any spelling the event reader drops
 * (case folds such as 'ſ' for 's'), at any depth.
 */
class InventorySecretValueTest {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbC123";

    private static String raw(String entry) throws Exception {
        InventoryEntry e = new InventoryReader().parse(Json.mapper().readTree(entry));
        return new String(e.raw(), StandardCharsets.UTF_8);
    }

    @Test
    void a_secret_value_under_a_case_fold_of_its_key_is_dropped() throws Exception {
        String raw = raw("{\"ARN\":\"" + ARN + "\",\"Name\":\"prod/db\",\"\u017FecretString\":\"hunter2\","
                + "\"SecretStr\u0131ng\":\"hunter3\",\"SECRETBINARY\":\"aHVudGVy\"}");
        assertThat(raw).doesNotContain("hunter2").doesNotContain("hunter3").doesNotContain("aHVudGVy");
        assertThat(raw).contains("\"Name\":\"prod/db\"");
    }

    @Test
    void a_nested_secret_value_is_dropped() throws Exception {
        String raw = raw("{\"ARN\":\"" + ARN + "\",\"Name\":\"prod/db\","
                + "\"Versions\":[{\"VersionId\":\"v1\",\"SecretString\":\"hunter2\"}],"
                + "\"Value\":{\"secretString\":\"hunter3\"}}");
        assertThat(raw).doesNotContain("hunter2").doesNotContain("hunter3");
        assertThat(raw).contains("\"VersionId\":\"v1\"");
    }
}
