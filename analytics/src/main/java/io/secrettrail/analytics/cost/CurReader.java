package io.secrettrail.analytics.cost;

import io.secrettrail.analytics.store.Sql;
import io.secrettrail.core.billing.BilledLine;
import io.secrettrail.core.billing.UsageKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads AWS Cost and Usage Report exports with DuckDB ({@code read_parquet}, {@code read_csv} with its gzip
 * support) and keeps the Secrets Manager and KMS lines, summed, as {@link BilledLine}s. The layout is told by
 * the column names, not the file type: legacy CUR names its columns {@code lineItem/UsageAccountId} in CSV and
 * {@code line_item_usage_account_id} in Parquet; CUR 2.0 uses the latter names in both formats and adds the
 * {@code product} map column, which legacy CUR does not have.
 *
 * <p>Column names: https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-line-item.html,
 * https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-product.html (CUR 2.0) and
 * https://docs.aws.amazon.com/cur/latest/userguide/Lineitem-columns.html (legacy).
 *
 * <p>A file that is not a readable export, or lacks a required column, is reported by name (with the columns it
 * lacks) and skipped; the other files are still read. A Secrets Manager or KMS line item with no line item type, a
 * period that is not a real month, or an amount that is not a number is reported by file, line (row for Parquet)
 * and column, and skipped; the other lines of that file are still read. A file name is a literal path, never a
 * glob pattern.
 */
public final class CurReader {
    private static final String CUR2 = "cur2";
    private static final String CUR_LEGACY = "cur-legacy";

    /** CUR 2.0 name → legacy CSV name, for the columns read. */
    private static final Map<String, String> LEGACY_CSV = new LinkedHashMap<>();

    static {
        LEGACY_CSV.put("line_item_usage_account_id", "lineItem/UsageAccountId");
        LEGACY_CSV.put("line_item_product_code", "lineItem/ProductCode");
        LEGACY_CSV.put("line_item_usage_type", "lineItem/UsageType");
        LEGACY_CSV.put("line_item_line_item_type", "lineItem/LineItemType");
        LEGACY_CSV.put("line_item_usage_amount", "lineItem/UsageAmount");
        LEGACY_CSV.put("line_item_unblended_cost", "lineItem/UnblendedCost");
        LEGACY_CSV.put("line_item_usage_start_date", "lineItem/UsageStartDate");
        LEGACY_CSV.put("bill_billing_period_start_date", "bill/BillingPeriodStartDate");
        LEGACY_CSV.put("line_item_net_unblended_cost", "lineItem/NetUnblendedCost");
        LEGACY_CSV.put("line_item_resource_id", "lineItem/ResourceId");
        LEGACY_CSV.put("product_region_code", "product/regionCode");
        LEGACY_CSV.put("product_region", "product/region");
    }

    private static final List<String> REQUIRED = List.of(
            "line_item_usage_account_id",
            "line_item_product_code",
            "line_item_usage_type",
            "line_item_line_item_type",
            "line_item_usage_amount",
            "line_item_unblended_cost",
            "line_item_usage_start_date");

    private static final List<String> OPTIONAL = List.of(
            "bill_billing_period_start_date",
            "line_item_net_unblended_cost",
            "line_item_resource_id",
            "product_region_code",
            "product_region");

    /** The characters DuckDB's file functions read as a glob pattern. */
    private static final java.util.regex.Pattern GLOB = java.util.regex.Pattern.compile("[*?\\[{]");

    /**
     * What a read produced: the lines, and one message per file that could not be read (the others were) or per line
     * item that was skipped (the file's other lines were read), and notices: the export files of other deliveries than
     * the one a period's manifest names, skipped.
     */
    public record Result(List<BilledLine> lines, List<String> errors, int filesRead, List<String> notices) {}

    /**
     * Reads every export file under each root ({@code .parquet}, {@code .csv}, {@code .csv.gz}; other files are
     * skipped), walking directories; where a period has a manifest, only the files it names ({@link CurManifests}).
     *
     * @param conn a connection to read with (a temporary table is made and dropped on it)
     */
    public Result read(Connection conn, List<Path> roots) throws IOException, SQLException {
        List<BilledLine> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        int read = 0;
        String timeZone = setting(conn, "TimeZone");
        try (Statement s = conn.createStatement()) {
            // read_parquet and read_csv are built in; nothing may be downloaded
            s.execute("SET autoinstall_known_extensions = false");
            // a TIMESTAMPTZ column (CUR 2.0 Parquet) is written as text in the session time zone: UTC, so that the
            // month is AWS's, whatever the host's zone
            s.execute("SET TimeZone = 'UTC'");
        }
        try {
            for (Path root : roots) {
                List<Path> files = files(root);
                if (Files.isDirectory(root)) {
                    CurManifests.Selection chosen = CurManifests.select(root, files);
                    files = chosen.files();
                    notices.addAll(chosen.notices());
                    errors.addAll(chosen.errors());
                }
                for (Path file : files) {
                    String name = (Files.isDirectory(root)
                                    ? root.relativize(file).toString()
                                    : file.getFileName().toString())
                            .replace('\\', '/');
                    try {
                        lines.addAll(readFile(conn, file, name, errors));
                        read++;
                    } catch (CurFileException e) {
                        errors.add(e.getMessage());
                    } catch (SQLException e) {
                        errors.add(name + ": not a readable Cost and Usage Report file: " + firstLine(e.getMessage()));
                    } finally {
                        // a failed DuckDB statement aborts the connection's transaction: end it, so that the next
                        // file is read on a clean one
                        if (!conn.getAutoCommit()) {
                            conn.rollback();
                        }
                        try (Statement s = conn.createStatement()) {
                            s.execute(Sql.text("billing/stage-drop-items"));
                            s.execute(Sql.text("billing/stage-drop"));
                        }
                    }
                }
            }
        } finally {
            try (Statement s = conn.createStatement()) {
                // the value is DuckDB's own setting, read above, not input
                s.execute("SET TimeZone = '" + timeZone.replace("'", "''") + "'");
            }
        }
        return new Result(List.copyOf(lines), List.copyOf(errors), read, List.copyOf(notices));
    }

    private static String setting(Connection conn, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> exportFile(p.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }

    static boolean exportFile(String name) {
        return io.secrettrail.core.billing.CurLayout.exportFile(name);
    }

    private List<BilledLine> readFile(Connection conn, Path file, String name, List<String> errors)
            throws SQLException, IOException {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!GLOB.matcher(file.toString()).find()) {
            return readLiteral(conn, file, name, errors);
        }
        // read_csv and read_parquet take a path as a glob pattern, and an S3 key may hold * ? [ {: such a file is read
        // through a link of a plain name, so that it is read once, and no other file with it
        Path dir = Files.createTempDirectory("cur-file");
        Path link = dir.resolve(
                "export" + (lower.endsWith(".csv.gz") ? ".csv.gz" : lower.substring(lower.lastIndexOf('.'))));
        try {
            try {
                Files.createSymbolicLink(link, file.toAbsolutePath());
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(file, link);
            }
            return readLiteral(conn, link, name, errors);
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(dir);
        }
    }

    private List<BilledLine> readLiteral(Connection conn, Path file, String name, List<String> errors)
            throws SQLException {
        boolean parquet = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
        Set<String> columns = new LinkedHashSet<>();
        try (PreparedStatement ps =
                conn.prepareStatement(Sql.text(parquet ? "billing/stage-probe-parquet" : "billing/stage-probe-csv"))) {
            ps.setString(1, file.toString());
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    columns.add(rs.getMetaData().getColumnName(i));
                }
            }
        }
        String source = layout(columns);
        boolean legacyNames = columns.contains(LEGACY_CSV.get("line_item_usage_account_id"));
        List<String> missing = new ArrayList<>();
        for (String c : REQUIRED) {
            if (!columns.contains(legacyNames ? LEGACY_CSV.get(c) : c)) {
                missing.add(legacyNames ? LEGACY_CSV.get(c) : c);
            }
        }
        if (!missing.isEmpty()) {
            throw new CurFileException(name + ": not a Cost and Usage Report export of a known layout: missing column"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
        }
        List<String> staged = new ArrayList<>();
        for (String c : concat(REQUIRED, OPTIONAL)) {
            String actual = legacyNames ? LEGACY_CSV.get(c) : c;
            if (columns.contains(actual)) {
                staged.add(quoted(actual));
            }
        }
        String product = legacyNames ? LEGACY_CSV.get("line_item_product_code") : "line_item_product_code";
        try (PreparedStatement ps =
                conn.prepareStatement(Sql.text(parquet ? "billing/stage-parquet" : "billing/stage-csv")
                        .replace("/*columns*/", String.join(", ", staged))
                        .replace("/*product*/", quoted(product)))) {
            ps.setString(1, file.toString());
            ps.setString(2, UsageKinds.SECRETS_MANAGER_CODE);
            ps.setString(3, UsageKinds.KMS_CODE);
            ps.execute();
        }
        try (Statement s = conn.createStatement()) {
            // Identifiers come from the constant lists above, never from the file: only names equal to them are
            // staged and renamed, and only those absent are added.
            for (String c : concat(REQUIRED, OPTIONAL)) {
                String actual = legacyNames ? LEGACY_CSV.get(c) : c;
                if (legacyNames && columns.contains(actual)) {
                    s.execute("ALTER TABLE cur_raw RENAME COLUMN " + quoted(actual) + " TO " + c);
                } else if (!columns.contains(actual)) {
                    s.execute("ALTER TABLE cur_raw ADD COLUMN " + c + " VARCHAR");
                }
            }
            s.execute(Sql.text("billing/stage-items"));
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("billing/stage-bad-rows"))) {
            ps.setString(1, UsageKinds.SECRETS_MANAGER_CODE);
            ps.setString(2, UsageKinds.KMS_CODE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(2);
                    String value = rs.getString(3);
                    errors.add(name + ": " + (parquet ? "row " : "line ") + (rs.getLong(1) + (parquet ? 0 : 1))
                            + " skipped: " + (legacyNames ? LEGACY_CSV.get(column) : column)
                            + (value == null ? " is empty" : " is not " + expected(column) + ": " + clip(value)));
                }
            }
        }
        List<BilledLine> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("billing/stage-lines"))) {
            ps.setString(1, UsageKinds.SECRETS_MANAGER_CODE);
            ps.setString(2, UsageKinds.KMS_CODE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String service =
                            UsageKinds.serviceOfProductCode(rs.getString(4)).orElseThrow();
                    String usageType = rs.getString(5);
                    out.add(new BilledLine(
                            source,
                            name,
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            service,
                            usageType,
                            UsageKinds.kindOf(service, usageType).orElse(null),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getBigDecimal(8),
                            rs.getBigDecimal(9),
                            rs.getBigDecimal(10)));
                }
            }
        }
        return out;
    }

    private static String expected(String column) {
        return column.endsWith("_date") ? "a date of a real month (YYYY-MM...)" : "a number";
    }

    /** A bad value is printed, but not a whole megabyte of it. */
    private static String clip(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** CUR 2.0 has the {@code product} map column; legacy CUR (CSV or Parquet) does not. */
    static String layout(Set<String> columns) {
        return columns.contains("product") ? CUR2 : CUR_LEGACY;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A file that was read but is not an export SecretTrail can use; its message names the file. */
    private static final class CurFileException extends RuntimeException {
        CurFileException(String message) {
            super(message);
        }
    }
}
