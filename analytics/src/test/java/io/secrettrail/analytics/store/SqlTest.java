package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void a_statement_file_is_read_stripped_and_runs_with_bound_parameters() throws Exception {
        assertThat(Sql.text("test/plus-one")).isEqualTo("SELECT ? + 1 AS answer");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                PreparedStatement ps = c.prepareStatement(Sql.text("test/plus-one"))) {
            ps.setInt(1, 41);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("answer")).isEqualTo(42);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void a_missing_file_names_the_resource_it_looked_for() {
        assertThatThrownBy(() -> Sql.text("test/no-such-statement"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/sql/test/no-such-statement.sql");
    }

    @Test
    void a_path_that_climbs_out_of_the_sql_folder_is_refused() {
        assertThatThrownBy(() -> Sql.text("../rules/unused-secret")).isInstanceOf(IllegalArgumentException.class);
    }
}
