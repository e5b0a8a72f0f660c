package io.secrettrail.analytics.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The numbered schema migrations and the runner that applies them. Each migration is a resource
 * {@code sql/migrations/V<n>__<what>.sql}; the {@code schema_version} table records every one applied
 * (version, name, a checksum of its file, when). {@link #migrate} applies the pending ones in version
 * order, each in its own transaction together with its row in {@code schema_version}.
 *
 * <p>Refused, with a {@link MigrationException} that says what to do: a database whose version is newer
 * than this binary knows, an applied migration whose file has changed since (a shipped migration is never
 * edited: the database would no longer match what the file says), and a migration missing below the
 * database's version (numbered out of order). Before a file database that already holds tables is
 * migrated it is checkpointed and copied aside to {@code <file>.bak-v<N>}, N being its version before.
 *
 * <p>The migrations are found by listing the classpath folder, in a directory (tests, the IDE) or inside a
 * jar (the packaged application): a new migration needs no index to be edited.
 */
public final class Migrations {
    /** Where the shipped migrations live on the classpath. */
    static final String SHIPPED = "sql/migrations";

    private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_\\-]+)\\.sql");
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Migrations.class);

    /** One migration file: its number, its name (the file name without {@code .sql}), its text and checksum. */
    public record Migration(int version, String name, String sql, String checksum) {}

    private final List<Migration> all;
    private final Clock clock;

    private Migrations(List<Migration> all, Clock clock) {
        this.all = all;
        this.clock = clock;
    }

    /** The migrations shipped with SecretTrail; {@code clock} stamps {@code applied_at}. */
    public static Migrations shipped(Clock clock) {
        return at(SHIPPED, Migrations.class.getClassLoader(), clock);
    }

    /** The migrations in a classpath folder (tests keep their own sets). */
    public static Migrations at(String location, ClassLoader loader, Clock clock) {
        Map<Integer, Migration> byVersion = new TreeMap<>();
        for (Map.Entry<String, byte[]> f : list(location, loader).entrySet()) {
            Matcher m = FILE.matcher(f.getKey());
            if (!m.matches()) {
                throw new IllegalStateException(
                        "not a migration file name (V<number>__<name>.sql): " + location + "/" + f.getKey());
            }
            int version = Integer.parseInt(m.group(1));
            Migration mig = new Migration(
                    version,
                    f.getKey().substring(0, f.getKey().length() - 4),
                    new String(f.getValue(), StandardCharsets.UTF_8),
                    checksum(f.getValue()));
            Migration other = byVersion.putIfAbsent(version, mig);
            if (other != null && !other.checksum().equals(mig.checksum())) {
                throw new IllegalStateException("two migrations numbered " + version + " in " + location + ": "
                        + other.name() + " and " + mig.name());
            }
        }
        if (byVersion.isEmpty()) {
            throw new IllegalStateException(
                    "no migrations found on the classpath in " + location + " (a packaging bug)");
        }
        return new Migrations(List.copyOf(byVersion.values()), clock);
    }

    /** Every migration known, in version order. */
    public List<Migration> all() {
        return all;
    }

    /** The version a database reaches once migrated by this binary. */
    public int latest() {
        return all.get(all.size() - 1).version();
    }

    /**
     * Brings the database to {@link #latest()}. {@code file} is the database file (for its backup and the
     * messages), {@code null} for an in-memory database (never backed up). Leaves auto-commit as it found it.
     *
     * @return the migrations applied (none when the database was current)
     */
    public List<Migration> migrate(Connection c, Path file) throws SQLException {
        String label = file == null ? "the in-memory database" : file.toString();
        Map<Integer, String> applied = applied(c);
        int current = applied.isEmpty() ? 0 : Collections.max(applied.keySet());
        if (current > latest()) {
            String back = file == null
                    ? ""
                    : "; to go back to this one, restore a backup " + file + ".bak-v<N> with N at most " + latest()
                            + ", which the newer release wrote before upgrading the file (what was stored since is lost)";
            throw new MigrationException(label + " has schema version " + current
                    + ", newer than this SecretTrail knows (up to " + latest()
                    + "): it was written by a newer release. Run that release (or a newer one) on it" + back + ".");
        }
        List<Migration> pending = new ArrayList<>();
        for (Migration m : all) {
            String sum = applied.get(m.version());
            if (sum == null) {
                if (m.version() < current) {
                    throw new MigrationException(
                            label + " is at schema version " + current + " but migration " + m.name()
                                    + " below it was never applied: migrations are numbered after the latest one shipped, never between.");
                }
                pending.add(m);
            } else if (!sum.equals(m.checksum())) {
                throw new MigrationException("migration " + m.name() + " was applied to " + label + " with checksum "
                        + sum
                        + " but its file now has checksum " + m.checksum() + ": a shipped migration is never edited;"
                        + " restore the file and put the change in a new migration.");
            }
        }
        if (pending.isEmpty()) {
            return List.of();
        }
        boolean auto = c.getAutoCommit();
        if (file != null && holdsTables(c)) {
            backup(c, file, current);
        }
        c.setAutoCommit(false);
        try {
            for (Migration m : pending) {
                apply(c, m, label);
            }
        } finally {
            c.setAutoCommit(auto);
        }
        log.info("{}: schema migrated from version {} to {}", label, current, latest());
        return List.copyOf(pending);
    }

    private void apply(Connection c, Migration m, String label) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(Sql.text("store/schema-version-create"));
            // DuckDB runs the file's statements in order, in this transaction.
            s.execute(m.sql());
            try (PreparedStatement ps = c.prepareStatement(Sql.text("store/schema-version-record"))) {
                ps.setInt(1, m.version());
                ps.setString(2, m.name());
                ps.setString(3, m.checksum());
                ps.setObject(4, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw new MigrationException(
                    "migration " + m.name() + " failed on " + label + " and was rolled back: " + e.getMessage(), e);
        }
    }

    /** version → checksum of every migration recorded; empty for a database from before migrations. */
    private static Map<Integer, String> applied(Connection c) throws SQLException {
        Map<Integer, String> out = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(Sql.text("store/schema-version-exists"))) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return out;
                }
            }
            try (ResultSet rs = s.executeQuery(Sql.text("store/schema-version-applied"))) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static boolean holdsTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/holds-tables"))) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Copies the file aside before it is changed: CHECKPOINT first, so the file alone (no WAL) holds every
     * committed write. An earlier backup of the same version is never overwritten.
     */
    private static void backup(Connection c, Path file, int version) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(Sql.text("store/checkpoint"));
        }
        Path target = Path.of(file + ".bak-v" + version);
        for (int k = 2; Files.exists(target); k++) {
            target = Path.of(file + ".bak-v" + version + "-" + k);
        }
        try {
            Files.copy(file, target);
        } catch (IOException e) {
            throw new MigrationException(
                    "cannot back up " + file + " to " + target + " before migrating it: " + e.getMessage(), e);
        }
        log.info("{}: copied to {} before migrating it from schema version {}", file, target, version);
    }

    /** SHA-256 of the file with line ends as LF, so a checkout that converts them does not look edited. */
    static String checksum(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** file name → bytes of every {@code .sql} file in the classpath folder, from directories and jars. */
    private static Map<String, byte[]> list(String location, ClassLoader loader) {
        Map<String, byte[]> out = new TreeMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(location))) {
                URI uri = url.toURI();
                if ("jar".equals(uri.getScheme())) {
                    try (FileSystem fs = jar(uri)) {
                        read(fs.getPath(location), out);
                    }
                } else {
                    read(Paths.get(uri), out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the migrations in " + location, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the migrations in " + location, e);
        }
        return out;
    }

    private static FileSystem jar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            // Someone else holds it open: read through a private one over the same jar file.
            String spec = uri.getSchemeSpecificPart();
            return FileSystems.newFileSystem(Paths.get(URI.create(spec.substring(0, spec.indexOf("!/")))));
        }
    }

    private static void read(Path dir, Map<String, byte[]> out) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".sql"))
                    .toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    out.putIfAbsent(p.getFileName().toString(), in.readAllBytes());
                }
            }
        }
    }
}
