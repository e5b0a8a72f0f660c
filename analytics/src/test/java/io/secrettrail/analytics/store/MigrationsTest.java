package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration runner on in-memory databases, with the test sets under {@code migrations-test/}. */
class MigrationsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

    static Migrations set(String name) {
        return Migrations.at("migrations-test/" + name, MigrationsTest.class.getClassLoader(), CLOCK);
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean table(Connection c, String name) throws SQLException {
        return count(c, "SELECT count(*) FROM duckdb_tables() WHERE table_name = '" + name + "'") == 1;
    }

    @Test
    void migrations_run_in_version_order_and_each_is_recorded_with_its_checksum_and_the_clock() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            Migrations m = set("ordered");
            assertThat(m.all())
                    .extracting(Migrations.Migration::name)
                    .containsExactly("V001__first", "V002__second", "V010__tenth");
            assertThat(m.migrate(c, null)).hasSize(3);

            assertThat(count(c, "SELECT z FROM c"))
                    .as("V010 ran after V002 added y")
                    .isEqualTo(3);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT version, name, checksum, applied_at FROM schema_version ORDER BY version")) {
                for (Migrations.Migration expected : m.all()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(expected.version());
                    assertThat(rs.getString(2)).isEqualTo(expected.name());
                    assertThat(rs.getString(3)).isEqualTo(expected.checksum()).hasSize(64);
                    assertThat(rs.getObject(4, java.time.LocalDateTime.class))
                            .isEqualTo(java.time.LocalDateTime.parse("2026-12-01T09:00:00"));
                }
                assertThat(rs.next()).isFalse();
            }
            assertThat(m.all().get(0).checksum())
                    .isEqualTo(Migrations.checksum(
                            Files.readAllBytes(resource("migrations-test/ordered/V001__first.sql"))));
        }
    }

    @Test
    void a_current_database_is_left_alone() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            set("ordered").migrate(c, null);
            assertThat(set("ordered").migrate(c, null)).isEmpty();
            assertThat(count(c, "SELECT count(*) FROM schema_version")).isEqualTo(3);
            assertThat(count(c, "SELECT count(*) FROM a")).isEqualTo(1);
        }
    }

    @Test
    void pending_migrations_are_applied_after_the_ones_recorded() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            assertThat(set("older").migrate(c, null))
                    .extracting(Migrations.Migration::version)
                    .containsExactly(1);
            assertThat(set("ordered").migrate(c, null))
                    .extracting(Migrations.Migration::version)
                    .containsExactly(2, 10);
            assertThat(count(c, "SELECT count(*) FROM a"))
                    .as("V001 not run twice")
                    .isEqualTo(1);
        }
    }

    @Test
    void each_migration_is_one_transaction_a_failed_one_leaves_nothing_and_the_earlier_ones_stay() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            assertThatThrownBy(() -> set("failing").migrate(c, null))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("V002__half_done")
                    .hasMessageContaining("rolled back");
            assertThat(table(c, "a")).as("V001 committed").isTrue();
            assertThat(table(c, "b")).as("V002's first statement rolled back").isFalse();
            assertThat(count(c, "SELECT max(version) FROM schema_version")).isEqualTo(1);
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    @Test
    void an_applied_migration_whose_file_changed_is_refused() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            set("older").migrate(c, null);
            assertThatThrownBy(() -> set("edited").migrate(c, null))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("V001__first")
                    .hasMessageContaining(set("older").all().get(0).checksum())
                    .hasMessageContaining(set("edited").all().get(0).checksum())
                    .hasMessageContaining("never edited");
        }
    }

    @Test
    void a_database_newer_than_the_binary_is_refused_naming_both_versions_and_left_as_it_was() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            set("ordered").migrate(c, null);
            assertThatThrownBy(() -> set("older").migrate(c, null))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("in-memory database")
                    .hasMessageContaining("schema version 10")
                    .hasMessageContaining("up to 1");
            assertThat(count(c, "SELECT count(*) FROM schema_version")).isEqualTo(3);
        }
    }

    @Test
    void a_migration_numbered_below_the_databases_version_is_refused() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            set("ordered").migrate(c, null);
            assertThatThrownBy(() -> set("late").migrate(c, null))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("V005__numbered_between");
            assertThat(table(c, "e")).isFalse();
        }
    }

    @Test
    void migrations_are_found_inside_a_jar_as_in_the_packaged_application(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("migrations.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String d : new String[] {"sql/", "sql/jarred/"}) {
                out.putNextEntry(new JarEntry(d)); // directory entries, as the jar plugin writes them
                out.closeEntry();
            }
            for (String f : new String[] {"V002__two.sql", "V001__one.sql"}) {
                out.putNextEntry(new JarEntry("sql/jarred/" + f));
                out.write(("CREATE TABLE t" + f.charAt(3) + " (x INTEGER);").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            Migrations m = Migrations.at("sql/jarred", loader, CLOCK);
            assertThat(m.all()).extracting(Migrations.Migration::name).containsExactly("V001__one", "V002__two");
            m.migrate(c, null);
            assertThat(table(c, "t1")).isTrue();
            assertThat(table(c, "t2")).isTrue();
        }
    }

    @Test
    void the_shipped_migrations_start_with_the_baseline_and_an_in_memory_store_records_them() throws Exception {
        Migrations shipped = Migrations.shipped(CLOCK);
        assertThat(shipped.all().get(0).name()).isEqualTo("V001__baseline");
        try (EventStore store = EventStore.open(null, StoreLimits.defaults(), CLOCK);
                Connection r = store.reader()) {
            assertThat(count(r, "SELECT max(version) FROM schema_version")).isEqualTo(shipped.latest());
            assertThat(count(r, "SELECT count(*) FROM schema_version"))
                    .isEqualTo(shipped.all().size());
        }
    }

    @Test
    void a_location_without_migrations_is_a_packaging_bug() {
        assertThatThrownBy(() -> set("no-such-set"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-set");
    }

    private static Path resource(String name) throws Exception {
        return Path.of(MigrationsTest.class.getClassLoader().getResource(name).toURI());
    }
}
