package io.secrettrail.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.event.Rejection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12, item 1, for the inventory: every date of a list-secrets entry is stored as a
 * TIMESTAMP too, so a date outside the range rejects its entry (naming the field) instead of
 * stopping analytics, and an absurd number is never converted (1e400 seconds, 1000 digits).
 */
class InventoryDateRangeTest {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db-AbC123";
    static final String GOOD =
            "{\"ARN\":\"" + ARN.replace("prod/db", "good") + "\",\"Name\":\"good\",\"CreatedDate\":1700000000}";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "CreatedDate      | 9223372036854775807           | outside the accepted range",
                "LastRotatedDate  | -1                            | outside the accepted range",
                "LastChangedDate  | 253402300800                  | outside the accepted range",
                "DeletedDate      | 1e400                         | expected epoch seconds",
                "LastAccessedDate | 1e300                         | outside the accepted range",
                "NextRotationDate | 1E+999999999                  | expected epoch seconds",
                "CreatedDate      | `\"+294248-01-01T00:00:00Z\"` | outside the accepted range",
                "CreatedDate      | `\"0000-01-01T00:00:00Z\"`    | outside the accepted range",
                "CreatedDate      | `\"99999999999999999999\"`    | outside the accepted range",
                "CreatedDate      | `\"2024-13-01T00:00:00Z\"`    | expected a date",
                "CreatedDate      | `\"1e9\"`                     | expected a date",
                "CreatedDate      | true                          | expected a date",
            })
    void a_date_outside_the_range_rejects_its_entry_naming_the_field(String field, String value, String error)
            throws IOException {
        String bad = "{\"ARN\":\"" + ARN + "\",\"Name\":\"prod/db\",\"" + field + "\":" + value + "}";
        Path f = dir.resolve("inventory.json");
        Files.writeString(f, "{\"SecretList\":[" + bad + "," + GOOD + "]}");
        List<InventoryEntry> entries = new ArrayList<>();
        List<Rejection> rejects = new ArrayList<>();
        int n = new InventoryReader().read(f, "inventory.json", entries::add, rejects::add);
        assertThat(n).isEqualTo(1);
        assertThat(entries).extracting(InventoryEntry::name).containsExactly("good");
        assertThat(rejects).singleElement().satisfies(r -> {
            assertThat(r.recordIndex()).isEqualTo(1);
            assertThat(r.field()).isEqualTo(field);
            assertThat(r.error()).startsWith(error);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "0                                  | 1970-01-01T00:00:00Z",
                "1700000000.5                       | 2023-11-14T22:13:20.500Z",
                "`\"1700000000\"`                   | 2023-11-14T22:13:20Z",
                "`\"2023-03-20T10:40:52.571000-07:00\"` | 2023-03-20T17:40:52.571Z",
                "253402300799                       | 9999-12-31T23:59:59Z",
            })
    void a_date_inside_the_range_is_read(String value, String expected) throws IOException {
        Path f = dir.resolve("ok.json");
        Files.writeString(f, "[{\"ARN\":\"" + ARN + "\",\"CreatedDate\":" + value + "}]");
        List<InventoryEntry> entries = new ArrayList<>();
        List<Rejection> rejects = new ArrayList<>();
        new InventoryReader().read(f, "ok.json", entries::add, rejects::add);
        assertThat(rejects).isEmpty();
        assertThat(entries)
                .singleElement()
                .satisfies(e -> assertThat(e.createdDate()).hasToString(expected));
    }
}
