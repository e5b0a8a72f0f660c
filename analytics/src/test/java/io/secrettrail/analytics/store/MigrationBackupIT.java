package io.secrettrail.analytics.store;

import static io.secrettrail.analytics.store.MigrationsTest.count;
import static io.secrettrail.analytics.store.MigrationsTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration runner on database files: the copy taken aside before a file is migrated. */
class MigrationBackupIT {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("st.duckdb");
    }

    private void atVersionOneWithData() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db())) {
            set("older").migrate(c, db());
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO a VALUES (41)");
            }
        }
    }

    private long backups() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".bak-v"))
                    .count();
        }
    }

    @Test
    void a_file_with_data_is_checkpointed_and_copied_to_bak_v_its_version_before_it_is_migrated() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db())) {
            set("older").migrate(c, db());
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO a VALUES (41)"); // in the WAL only, until a checkpoint
            }
            assertThat(set("ordered").migrate(c, db())).hasSize(2);
        }
        Path backup = dir.resolve("st.duckdb.bak-v1");
        assertThat(backup).exists();
        try (Connection b = DriverManager.getConnection("jdbc:duckdb:" + backup)) {
            assertThat(count(b, "SELECT max(version) FROM schema_version")).isEqualTo(1);
            assertThat(count(b, "SELECT count(*) FROM a"))
                    .as("the row committed before, from the WAL too")
                    .isEqualTo(2);
            assertThat(count(b, "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'a'"))
                    .as("V002 not in it")
                    .isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db())) {
            assertThat(set("ordered").migrate(c, db()))
                    .as("a current file: no-op")
                    .isEmpty();
        }
        assertThat(backups()).isEqualTo(1);
    }

    @Test
    void an_earlier_backup_of_the_same_version_is_never_overwritten() throws Exception {
        atVersionOneWithData();
        Files.writeString(dir.resolve("st.duckdb.bak-v1"), "the user's own copy");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db())) {
            set("ordered").migrate(c, db());
        }
        assertThat(dir.resolve("st.duckdb.bak-v1")).hasContent("the user's own copy");
        assertThat(dir.resolve("st.duckdb.bak-v1-2")).exists();
    }

    @Test
    void a_new_file_is_not_backed_up() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db())) {
            set("ordered").migrate(c, db());
        }
        assertThat(backups()).isZero();
    }
}
