package io.secrettrail.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.event.Rejection;
import io.secrettrail.core.event.TrailReader;
import io.secrettrail.core.secret.InventoryReader;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real DuckDB loaded from a generated trail through the real reader, resolver and store (the
 * pipeline minus Kafka, which the app module's tests cover), plus hostile records: a secret whose
 * name carries a script and every punctuation mark ARNs allow, read by a user agent carrying markup.
 */
final class TestData {
    static final Instant END = Instant.parse("2026-11-21T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOSTILE_NAME = "team/<script>alert(1)</script>+a=b.c@d-e";
    static final String HOSTILE_ARN =
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:" + HOSTILE_NAME + "-Ab12Cd";
    static final String HOSTILE_UA = "<img src=x onerror=alert(2)>";
    static final String HOSTILE_ROLE = "arn:aws:iam::111111111111:role/x-<b>bold</b>";

    /**
     * Secret names no browser or server normalisation may change on the way to their page: dot
     * segments, percent signs (raw and encoded-looking), query and fragment marks, empty segments,
     * backslash, space, tab, NUL, a right-to-left override, non-ASCII. A denied read of any string
     * is logged, so each of these can reach the trail.
     */
    static final List<String> ODD_NAMES = List.of(
            "team/../admin",
            "./dot/./x",
            "100%-done",
            "a%2Fb",
            "%2e%2e/up",
            "q?x=1#frag",
            "semi;colon&amp=1",
            "sp ace\ttab",
            "invoice\u202Etxt.exe",
            "nul\u0000byte",
            "back\\slash",
            "a//b",
            "trailing/",
            "plus+and=eq@at",
            "unicod\u00e9/\u540d\u524d",
            "=1+1;x");

    static final String ODD_ACCOUNT = "444455556666";
    /** A role whose IAM path holds dot segments, a percent-encoded slash and query and fragment marks. */
    static final String ODD_ROLE = "arn:aws:iam::444455556666:role/a/../b%2Fc/?d#e/odd-role";

    static String oddArn(String name) {
        return "arn:aws:secretsmanager:us-east-1:" + ODD_ACCOUNT + ":secret:" + name + "-Odd"
                + Integer.toString(ODD_NAMES.indexOf(name) + 100);
    }

    private TestData() {}

    static final String BURST_ACCOUNT = "555566667777";
    /** A role that reads 20 secrets in 19 s twice, three days apart: a closed and an open bulk-retrieval incident. */
    static final String BURST_ROLE = "arn:aws:iam::555566667777:role/burst-<i>reader</i>";

    static final String BURST_UA = "<svg onload=alert(4)>";
    static final String BURST_SESSION = "\"><img src=x onerror=alert(5)>";

    /** Two bursts of 20 GetSecretValue calls by {@link #BURST_ROLE}, ending 2 h and 3 days before {@link #END}. */
    static void loadBursts(EventStore store) throws Exception {
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        Batch b = new Batch();
        long record = 0;
        for (Duration before : List.of(Duration.ofDays(3), Duration.ofHours(2))) {
            for (int i = 0; i < 20; i++) {
                String arn = "arn:aws:secretsmanager:us-east-1:" + BURST_ACCOUNT + ":secret:burst/s" + i + "-Burst1";
                String json = """
                        {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"555566667777",
                         "arn":%s,"sessionContext":{"sessionIssuer":{"type":"Role",
                         "arn":%s,"accountId":"555566667777","userName":"burst"}}},
                         "eventTime":"%s","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
                         "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.4","userAgent":%s,
                         "requestParameters":{"secretId":%s},"responseElements":null,"requestID":"r","eventID":"burst-%d",
                         "readOnly":true,"eventType":"AwsApiCall","managementEvent":true,
                         "recipientAccountId":"555566667777"}""".formatted(
                                JSON.writeValueAsString(
                                        "arn:aws:sts::555566667777:assumed-role/burst-<i>reader</i>/" + BURST_SESSION),
                                JSON.writeValueAsString(BURST_ROLE),
                                END.minus(before).minusSeconds(19 - i),
                                JSON.writeValueAsString(BURST_UA),
                                JSON.writeValueAsString(arn),
                                record);
                byte[] raw = json.getBytes(StandardCharsets.UTF_8);
                add(b, resolver, new EventParser().parse(JSON.readTree(raw), raw), "burst", ++record);
            }
        }
        store.write(b);
    }

    /** One CreateSecret and one GetSecretValue by {@link #ODD_ROLE} for each of {@link #ODD_NAMES}. */
    static void loadOddNames(EventStore store) throws Exception {
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        Batch b = new Batch();
        long record = 0;
        for (String name : ODD_NAMES) {
            String arn = oddArn(name);
            for (int i = 0; i < 2; i++) {
                String json = """
                        {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"444455556666",
                         "arn":"arn:aws:sts::444455556666:assumed-role/odd-role/s","sessionContext":{"sessionIssuer":{"type":"Role",
                         "arn":%s,"accountId":"444455556666","userName":"odd-role"}}},
                         "eventTime":"%s","eventSource":"secretsmanager.amazonaws.com","eventName":"%s","awsRegion":"us-east-1",
                         "sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2","requestParameters":{"secretId":%s},
                         "responseElements":%s,"requestID":"r","eventID":"odd-%d","readOnly":true,"eventType":"AwsApiCall",
                         "managementEvent":true,"recipientAccountId":"444455556666"}""".formatted(
                                JSON.writeValueAsString(ODD_ROLE),
                                END.minus(Duration.ofHours(3 - i)),
                                i == 0 ? "CreateSecret" : "GetSecretValue",
                                JSON.writeValueAsString(arn),
                                i == 0 ? "{\"arn\":" + JSON.writeValueAsString(arn) + "}" : "null",
                                record);
                byte[] raw = json.getBytes(StandardCharsets.UTF_8);
                add(b, resolver, new EventParser().parse(JSON.readTree(raw), raw), "odd", ++record);
            }
        }
        store.write(b);
    }

    /** The October reads {@link #loadOctober} adds: a closed month before the generated days' open one. */
    static final Instant OCTOBER = Instant.parse("2026-10-20T10:00:00Z");

    /**
     * Three reads, on {@link #OCTOBER}, of the first listed secret of each account: the trail then spans two
     * months, October (closed) and November (open), as a new user's demo does.
     */
    static void loadOctober(EventStore store) throws Exception {
        java.util.Map<String, String> firstByAccount = new java.util.TreeMap<>();
        try (java.sql.Connection c = store.reader();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT arn FROM inventory ORDER BY arn")) {
            while (rs.next()) {
                String arn = rs.getString(1);
                firstByAccount.putIfAbsent(arn.split(":")[4], arn);
            }
        }
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        Batch b = new Batch();
        long record = 0;
        for (var e : firstByAccount.entrySet()) {
            String account = e.getKey();
            String arn = e.getValue();
            for (int i = 0; i < 3; i++) {
                String json = """
                        {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"%s",
                         "arn":"arn:aws:sts::%s:assumed-role/october-reader/s","sessionContext":{"sessionIssuer":{"type":"Role",
                         "arn":"arn:aws:iam::%s:role/october-reader","accountId":"%s","userName":"october-reader"}}},
                         "eventTime":"%s","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue",
                         "awsRegion":"%s","sourceIPAddress":"203.0.113.10","userAgent":"aws-cli/2",
                         "requestParameters":{"secretId":%s},"responseElements":null,"requestID":"oct-%d",
                         "eventID":"october-%d","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,
                         "recipientAccountId":"%s"}""".formatted(
                                account,
                                account,
                                account,
                                account,
                                OCTOBER.plusSeconds(record),
                                arn.split(":")[3],
                                JSON.writeValueAsString(arn),
                                record,
                                record,
                                account);
                byte[] raw = json.getBytes(StandardCharsets.UTF_8);
                add(b, resolver, new EventParser().parse(JSON.readTree(raw), raw), "october", ++record);
            }
        }
        store.write(b);
    }

    /**
     * AWS's bill of October for two accounts, as a CUR 2.0 read stores it: account 111111111111's secrets
     * (5 secret-months, $2.00) and API requests (3, $0.000015) with a $1.00 credit, and $0.40 of secrets in
     * {@link #ODD_ACCOUNT}, whose secrets were created in November (so that line differs).
     */
    static void loadOctoberBill(EventStore store) throws Exception {
        List<io.secrettrail.core.billing.BilledLine> lines = List.of(
                billed("111111111111", "AWSSecretsManager-Secrets", "secrets", "Usage", "5", "2.00"),
                billed("111111111111", "AWSSecretsManager-APIRequest", "api-requests", "Usage", "3", "0.000015"),
                billed("111111111111", "AWSSecretsManager-Secrets", null, "Credit", "0", "-1.00"),
                billed(ODD_ACCOUNT, "AWSSecretsManager-Secrets", "secrets", "Usage", "1", "0.40"));
        store.writeTransaction(w ->
                io.secrettrail.analytics.cost.BilledLines.replace(w, lines, Instant.parse("2026-11-05T00:00:00Z")));
    }

    private static io.secrettrail.core.billing.BilledLine billed(
            String account, String usageType, String kind, String type, String quantity, String usd) {
        return new io.secrettrail.core.billing.BilledLine(
                "cur2",
                "secrettrail-cur/data/BILLING_PERIOD=2026-10/part-0.parquet",
                "2026-10",
                account,
                "us-east-1",
                "secretsmanager",
                usageType,
                kind,
                type,
                null,
                new java.math.BigDecimal(quantity),
                new java.math.BigDecimal(usd),
                new java.math.BigDecimal(usd));
    }

    static GenerationSummary generate(Path dir) throws Exception {
        return new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir)
                        .days(3)
                        .secrets(40)
                        .eventsPerDay(600)
                        .noiseRatio(0.2)
                        .seed(7L)
                        .end(END)
                        .build())
                .generate();
    }

    static void load(EventStore store, GenerationSummary trail) throws Exception {
        SecretIndex index = new SecretIndex();
        Batch inv = new Batch();
        try (Stream<Path> s = Files.walk(trail.inventoryDir())) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                new InventoryReader()
                        .read(
                                f,
                                f.getFileName().toString(),
                                e -> {
                                    index.addInventory(e.arn());
                                    inv.inventory(e.arn(), e);
                                },
                                r -> {});
            }
        }
        store.write(inv);
        SecretResolver resolver = new SecretResolver(index);
        List<Path> files;
        try (Stream<Path> s = Files.walk(trail.trailDir())) {
            files = s.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList();
        }
        Batch[] batch = {new Batch()};
        for (Path f : files) {
            new TrailReader().read(f, f.getFileName().toString(), new TrailReader.Sink() {
                @Override
                public void accept(CloudTrailEvent e, long record) {
                    add(batch[0], resolver, e, f.getFileName().toString(), record);
                }

                @Override
                public void reject(Rejection r) {}
            });
            if (batch[0].size() > 5000) {
                store.write(batch[0]);
                batch[0] = new Batch();
            }
        }
        store.write(batch[0]);
        // the hostile secret: created, then read by a role with a hostile user agent
        Batch b = new Batch();
        for (int i = 0; i < 3; i++) {
            String json = """
                    {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","accountId":"111111111111",
                     "arn":"arn:aws:sts::111111111111:assumed-role/x-<b>bold</b>/s","sessionContext":{"sessionIssuer":{"type":"Role",
                     "arn":%s,"accountId":"111111111111","userName":"x"}}},
                     "eventTime":"%s","eventSource":"secretsmanager.amazonaws.com","eventName":"%s","awsRegion":"us-east-1",
                     "sourceIPAddress":"203.0.113.7","userAgent":%s,"requestParameters":{"secretId":%s},
                     "responseElements":%s,"requestID":"r","eventID":"hostile-%d","readOnly":true,"eventType":"AwsApiCall",
                     "managementEvent":true,"recipientAccountId":"111111111111"}""".formatted(
                            JSON.writeValueAsString(HOSTILE_ROLE),
                            END.minus(Duration.ofHours(5 - i)),
                            i == 0 ? "CreateSecret" : "GetSecretValue",
                            JSON.writeValueAsString(HOSTILE_UA),
                            JSON.writeValueAsString(HOSTILE_ARN),
                            i == 0 ? "{\"arn\":" + JSON.writeValueAsString(HOSTILE_ARN) + "}" : "null",
                            i);
            byte[] raw = json.getBytes(StandardCharsets.UTF_8);
            add(b, resolver, new EventParser().parse(JSON.readTree(raw), raw), "hostile", i + 1L);
        }
        store.write(b);
    }

    private static void add(Batch b, SecretResolver resolver, CloudTrailEvent e, String file, long record) {
        b.event(e, resolver.resolve(e), file, record);
    }
}
