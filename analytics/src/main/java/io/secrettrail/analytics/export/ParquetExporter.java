package io.secrettrail.analytics.export;

import io.secrettrail.analytics.cost.CostService;
import io.secrettrail.analytics.cost.MonthCost;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the store as Parquet for BI tools, Athena and Trino, with DuckDB's own writer: {@code events} (projected
 * columns, never the raw record) and {@code rollups} by day, {@code access} (the access ledger) whole,
 * {@code cost_months} and {@code alerts} by month, each under {@code <dir>/<table>/} in hive-style partitions
 * ({@code day=2026-11-21/part_0.parquet}).
 *
 * <p>Every table is computed at one asOf over the events that had arrived when the export began, so a batch
 * committed meanwhile does not tear it. Each is written to {@code <dir>/.tmp-<table>} and then renamed over
 * {@code <dir>/<table>}: a reader sees the previous export or this one, never half of one.
 *
 * <p>Run it on a reader connection of the process that owns the database (no other process can open the file).
 */
public final class ParquetExporter {
    /** The tables, in the order written. */
    public static final List<String> TABLES = List.of("events", "access", "rollups", "cost_months", "alerts");

    /**
     * The file an export leaves in its directory: only a directory holding it has its table folders replaced, so an
     * export pointed at a folder of other data never deletes that data.
     */
    static final String MARKER = ".secrettrail-export";

    /** The column each table is partitioned by; {@code access} is one file. */
    private static final Map<String, String> PARTITION = Map.of(
            "events", "day",
            "rollups", "day",
            "cost_months", "month",
            "alerts", "month");

    private final ReportSettings settings;

    public ParquetExporter(ReportSettings settings) {
        this.settings = settings;
    }

    /** What one table's export holds. */
    public record Table(long rows, long files) {}

    /** What an export wrote: the directory, asOf, and per table its rows and files. */
    public record Summary(String dir, Instant asOf, Map<String, Table> tables) {
        public Summary {
            tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        }
    }

    /**
     * Exports every table at {@code asOf}.
     *
     * @param reader a reader connection of the owning process; the snapshot the export takes replaces any on it
     */
    public Summary export(Connection reader, ExportDir dir, Instant asOf) throws SQLException {
        claim(dir.path());
        long lastArrival = lastArrival(reader);
        Snapshot snapshot = Snapshot.at(reader, asOf, settings.batchMatcher(), settings.self(), false);
        Map<String, Table> out = new LinkedHashMap<>();
        try {
            for (String table : TABLES) {
                fill(table, snapshot, lastArrival);
                out.put(table, write(reader, dir, table));
            }
        } finally {
            try (Statement s = reader.createStatement()) {
                for (String table : TABLES) {
                    s.execute("DROP TABLE IF EXISTS temp.export_" + table);
                }
            }
        }
        return new Summary(dir.path().toString(), asOf, out);
    }

    /**
     * Refuses a directory that holds a folder named as a table but no {@link #MARKER} (data of something else, which
     * the rename would delete); else leaves the marker in it.
     */
    static void claim(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker)) {
            for (String table : TABLES) {
                if (Files.exists(dir.resolve(table), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException(dir.resolve(table) + " exists and no SecretTrail export wrote it"
                            + " (no " + MARKER + " beside it): export to an empty directory, or move it away");
                }
            }
            try {
                Files.writeString(
                        marker, "SecretTrail's Parquet export: its table folders are replaced at each export\n");
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + marker, e);
            }
        }
    }

    /** The highest arrival stored now: what the export takes, whatever arrives while it runs. */
    private static long lastArrival(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/arrival-next"))) {
            rs.next();
            return rs.getLong(1) - 1;
        }
    }

    /** Computes one table into {@code temp.export_<table>}. */
    private void fill(String table, Snapshot snapshot, long lastArrival) throws SQLException {
        Connection c = snapshot.connection();
        switch (table) {
            case "events" -> {
                try (PreparedStatement p = c.prepareStatement(Sql.text("export/events"))) {
                    p.setTimestamp(1, snapshot.asOfTimestamp());
                    p.setLong(2, lastArrival);
                    p.execute();
                }
            }
            case "access" -> {
                // the ledger's own statement, kept in a table: one definition of the ledger, not two
                try (PreparedStatement p =
                        c.prepareStatement(Sql.text("export/access-table") + "\n" + Sql.text("access/ledger"))) {
                    p.setTimestamp(1, snapshot.asOfTimestamp());
                    p.setInt(2, settings.limits().topClients());
                    p.setNull(3, java.sql.Types.VARCHAR);
                    p.setNull(4, java.sql.Types.VARCHAR);
                    p.execute();
                }
            }
            case "rollups", "alerts" -> {
                try (PreparedStatement p = c.prepareStatement(Sql.text("export/" + table))) {
                    p.setTimestamp(1, snapshot.asOfTimestamp());
                    p.execute();
                }
            }
            case "cost_months" -> costMonths(snapshot);
            default -> throw new IllegalArgumentException("no such export table: " + table);
        }
    }

    /** The cost model's months, as the report computes them. */
    private void costMonths(Snapshot snapshot) throws SQLException {
        List<MonthCost> months = new CostService(settings.prices(), settings.batchEntriesBilled())
                .compute(snapshot)
                .months();
        Connection c = snapshot.connection();
        try (Statement s = c.createStatement()) {
            s.execute(Sql.text("export/cost-months-create"));
        }
        try (PreparedStatement p = c.prepareStatement(Sql.text("export/cost-months-insert"))) {
            for (MonthCost m : months) {
                p.setString(1, m.month());
                p.setBoolean(2, m.closed());
                p.setLong(3, m.events());
                p.setBigDecimal(4, m.secretsUsd());
                p.setLong(5, m.apiCalls());
                p.setBigDecimal(6, m.apiCallsUsd());
                p.setLong(7, m.unattributedCalls());
                p.setBigDecimal(8, m.unattributedUsd());
                p.setBigDecimal(9, m.kmsUsd());
                p.setBigDecimal(10, m.totalUsd());
                p.setBigDecimal(11, m.projectedUsd());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Copies {@code temp.export_<table>} to its temporary directory, then renames that over the table's. */
    private static Table write(Connection c, ExportDir dir, String table) throws SQLException {
        Path tmp = dir.path().resolve(".tmp-" + table);
        Path target = dir.path().resolve(table);
        Path old = dir.path().resolve(".old-" + table);
        delete(tmp);
        delete(old);
        long rows;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM temp.export_" + table)) {
            rs.next();
            rows = rs.getLong(1);
        }
        String partition = PARTITION.get(table);
        try (Statement s = c.createStatement()) {
            if (partition != null) {
                s.execute(String.format(Sql.text("export/copy"), "temp.export_" + table, dir.literal(tmp), partition));
            } else {
                createDirectories(tmp);
                s.execute(String.format(
                        Sql.text("export/copy-whole"),
                        "temp.export_" + table,
                        dir.literal(tmp.resolve("part_0.parquet"))));
            }
        }
        createDirectories(tmp); // a partitioned COPY of no rows writes no directory: the table is then empty
        long files = parquetFiles(tmp);
        try {
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("renaming " + tmp + " over " + target, e);
        }
        delete(old);
        return new Table(rows, files);
    }

    private static long parquetFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + p, e);
        }
    }
}
