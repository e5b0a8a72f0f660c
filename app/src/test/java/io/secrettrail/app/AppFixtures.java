package io.secrettrail.app;

import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.secret.InventoryEntry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the app tests share: a command line run with what it printed, an inventoried secret, and CUR 2.0 Parquet
 * exports written by DuckDB.
 */
final class AppFixtures {
    private AppFixtures() {}

    /** A command line's exit code and what it printed. */
    record Run(int code, String out, String err) {}

    /** Runs {@code command} (a {@code Main.run}) with System.out and System.err captured: commands print there. */
    static Run printed(java.util.function.IntSupplier command) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = command.getAsInt();
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Puts a secret created on 2025-01-01 and named {@code prod/db} into the store's inventory. */
    static void inventoried(EventStore store, String arn) throws Exception {
        String[] part = arn.split(":");
        Batch b = new Batch();
        b.inventory(
                arn,
                new InventoryEntry(
                        arn,
                        "prod/db",
                        part[4],
                        part[3],
                        part[3],
                        false,
                        null,
                        null,
                        Instant.parse("2025-01-01T00:00:00Z"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        Map.of(),
                        "{}".getBytes(StandardCharsets.UTF_8)));
        store.write(b);
    }

    /**
     * One October 2026 storage line of a secret, billed in the secret's account and region (its usage type with
     * a region prefix outside us-east-1, as AWS names it).
     *
     * @param secretMonths the line's usage amount
     */
    record StorageLine(String arn, BigDecimal secretMonths, BigDecimal usd) {}

    /** A CUR 2.0 Parquet export of October 2026 holding {@code lines}, written to {@code file}; its bytes. */
    static byte[] october(Path file, List<StorageLine> lines) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE e (bill_billing_period_start_date TIMESTAMP, line_item_usage_account_id"
                    + " VARCHAR, line_item_line_item_type VARCHAR, line_item_usage_start_date TIMESTAMP,"
                    + " line_item_product_code VARCHAR, line_item_usage_type VARCHAR, line_item_resource_id VARCHAR,"
                    + " line_item_usage_amount DECIMAL(38,10), line_item_unblended_cost DECIMAL(38,10),"
                    + " line_item_net_unblended_cost DECIMAL(38,10), product MAP(VARCHAR, VARCHAR),"
                    + " product_region_code VARCHAR)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO e VALUES (TIMESTAMP '2026-10-01', ?, 'Usage',"
                    + " TIMESTAMP '2026-10-01', 'AWSSecretsManager', ?, ?, ?, ?, ?, MAP {'region': ?}, ?)")) {
                for (StorageLine l : lines) {
                    String[] arn = l.arn().split(":");
                    ps.setString(1, arn[4]);
                    ps.setString(
                            2,
                            arn[3].equals("us-east-1") ? "AWSSecretsManager-Secrets" : "XX-AWSSecretsManager-Secrets");
                    ps.setString(3, l.arn());
                    ps.setBigDecimal(4, l.secretMonths());
                    ps.setBigDecimal(5, l.usd());
                    ps.setBigDecimal(6, l.usd());
                    ps.setString(7, arn[3]);
                    ps.setString(8, arn[3]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            s.execute("COPY e TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        return Files.readAllBytes(file);
    }

    /** serve's configuration with {@code settings}, the dashboard on a free loopback port, the work dir given. */
    static AppConfig serveConfig(Path workDir, java.time.Clock clock, SettingsOptions settings) throws Exception {
        WebOptions web = new WebOptions();
        web.host = "127.0.0.1";
        return new ConfigLoader(Map.of(ConfigLoader.ENV_WORK_DIR, workDir.toString()), clock)
                .settings(settings)
                .web(web, 0)
                .load();
    }

    /** An access key the fake maps to an account. */
    static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";

    /**
     * serve's AWS credentials: {@link #AWS_KEY} as {@code account} on the fake, through the system properties the
     * SDK's default chain reads (serve builds its AWS clients itself). Undo with {@link #forgetAwsKey()}.
     */
    static void useAwsKey(io.secrettrail.ingest.aws.FakeAws fake, String account) {
        fake.mapKey(AWS_KEY, account);
        System.setProperty("aws.accessKeyId", AWS_KEY);
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    static void forgetAwsKey() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
