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
 * lacks) and skipped; the other files are still read.
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

    /** What a read produced: the lines, and one message per file that could not be read (the others were). */
    public record Result(List<BilledLine> lines, List<String> errors, int filesRead) {}

    /**
     * Reads every export file under each root ({@code .parquet}, {@code .csv}, {@code .csv.gz}; manifests and other
     * files are skipped), walking directories.
     *
     * @param conn a connection to read with (a temporary table is made and dropped on it)
     */
    public Result read(Connection conn, List<Path> roots) throws IOException, SQLException {
        List<BilledLine> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int read = 0;
        try (Statement s = conn.createStatement()) {
            // read_parquet and read_csv are built in; nothing may be downloaded
            s.execute("SET autoinstall_known_extensions = false");
        }
        for (Path root : roots) {
            for (Path file : files(root)) {
                String name = Files.isDirectory(root)
                        ? root.relativize(file).toString()
                        : file.getFileName().toString();
                try {
                    lines.addAll(readFile(conn, file, name.replace('\\', '/')));
                    read++;
                } catch (CurFileException e) {
                    errors.add(e.getMessage());
                } catch (SQLException e) {
                    errors.add(name + ": not a readable Cost and Usage Report file: " + firstLine(e.getMessage()));
                } finally {
                    try (Statement s = conn.createStatement()) {
                        s.execute(Sql.text("billing/stage-drop"));
                    }
                }
            }
        }
        return new Result(List.copyOf(lines), List.copyOf(errors), read);
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
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".parquet") || n.endsWith(".csv") || n.endsWith(".csv.gz");
    }

    private List<BilledLine> readFile(Connection conn, Path file, String name) throws SQLException {
        boolean parquet = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
        try (PreparedStatement ps =
                conn.prepareStatement(Sql.text(parquet ? "billing/stage-parquet" : "billing/stage-csv"))) {
            ps.setString(1, file.toString());
            ps.execute();
        }
        Set<String> columns = new LinkedHashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("billing/stage-columns"));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                columns.add(rs.getString(1));
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
        try (Statement s = conn.createStatement()) {
            // Identifiers come from the constant lists above, never from the file: only names equal to them are
            // renamed, and only those absent are added.
            for (String c : concat(REQUIRED, OPTIONAL)) {
                String actual = legacyNames ? LEGACY_CSV.get(c) : c;
                if (legacyNames && columns.contains(actual)) {
                    s.execute("ALTER TABLE cur_raw RENAME COLUMN " + quoted(actual) + " TO " + c);
                } else if (!columns.contains(actual)) {
                    s.execute("ALTER TABLE cur_raw ADD COLUMN " + c + " VARCHAR");
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
                    String lineItemType = rs.getString(6);
                    if (lineItemType == null
                            || rs.getString(1) == null
                            || rs.getString(1).length() != 7) {
                        throw new CurFileException(name + ": a " + rs.getString(4) + " line item has no "
                                + (lineItemType == null ? "line item type" : "billing period or usage start date"));
                    }
                    out.add(new BilledLine(
                            source,
                            name,
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            service,
                            usageType,
                            UsageKinds.kindOf(service, usageType).orElse(null),
                            lineItemType,
                            rs.getString(7),
                            rs.getBigDecimal(8),
                            rs.getBigDecimal(9),
                            rs.getBigDecimal(10)));
                }
            }
        }
        return out;
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
