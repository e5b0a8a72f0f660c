package io.secrettrail.analytics.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * The one connection to the DuckDB file (or an in-memory database), opened with SecretTrail's settings
 * and migrated to the current schema; readers in this process get duplicates of it, sharing its
 * database instance, since no other process may open the file while this one holds it.
 */
final class Database implements AutoCloseable {
    private final DuckDBConnection conn;

    private Database(DuckDBConnection conn) {
        this.conn = conn;
    }

    /**
     * Opens (creating if needed) {@code file}, {@code null} for in memory, and applies pending migrations;
     * {@code memoryMb} is DuckDB's memory_limit (store.memoryMb).
     */
    static Database open(Path file, Clock clock, int memoryMb) throws SQLException {
        Properties p = new Properties();
        // Offline machines: never try to download an extension.
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        // Raw events make the WAL grow fast; checkpointing every 16 MB (the default) rewrote row
        // groups over and over and doubled the load time. A crash replays at most this much WAL.
        p.setProperty("checkpoint_threshold", "256MB");
        // DuckDB takes 80% of RAM by default; SecretTrail shares the machine with Kafka and the JVM.
        p.setProperty("memory_limit", memoryMb + "MiB");
        if (file != null) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
            }
        }
        String url = file == null ? "jdbc:duckdb:" : "jdbc:duckdb:" + file.toAbsolutePath();
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection(url, p);
        try {
            Migrations.shipped(clock).migrate(c, file);
            c.setAutoCommit(false);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new Database(c);
    }

    /** The writer's connection (auto-commit off: every write commits or rolls back explicitly). */
    DuckDBConnection conn() {
        return conn;
    }

    /** A connection for reading, sharing this process's database instance. */
    Connection reader() throws SQLException {
        return conn.duplicate();
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
