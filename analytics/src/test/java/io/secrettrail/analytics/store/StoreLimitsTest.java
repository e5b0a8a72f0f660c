package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreLimitsTest {
    @Test
    void store_memory_defaults_to_256_mib_and_is_read_from_its_setting() {
        assertThat(StoreLimits.of(Map.of()).memoryMb()).isEqualTo(256);
        assertThat(StoreLimits.defaults().memoryMb()).isEqualTo(256);
        assertThat(StoreLimits.of(Map.of("store.memoryMb", "64")).memoryMb()).isEqualTo(64);
        assertThat(StoreLimits.KEYS).contains("store.memoryMb");
    }

    @Test
    void store_memory_below_64_or_not_a_number_is_refused_naming_the_setting() {
        assertThatThrownBy(() -> StoreLimits.of(Map.of("store.memoryMb", "63")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store.memoryMb: must be 64..1048576, was 63");
        assertThatThrownBy(() -> StoreLimits.of(Map.of("store.memoryMb", "1GB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("store.memoryMb: expected a whole number");
    }

    @Test
    void duckdb_is_opened_with_the_memory_limit_set() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);
        try (EventStore store = EventStore.open(null, new StoreLimits(1_000, 20, 100), clock);
                Connection r = store.reader();
                Statement s = r.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('memory_limit')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("100.0 MiB");
        }
    }
}
