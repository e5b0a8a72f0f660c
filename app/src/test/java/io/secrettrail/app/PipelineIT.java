package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.generator.GenerationSummary;
import io.secrettrail.generator.GeneratorConfig;
import io.secrettrail.generator.TrailGenerator;
import io.secrettrail.ingest.HeldOutbox;
import io.secrettrail.ingest.IngestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real broker and a real DuckDB file, against a generated trail's truth. One analyze
 * of the trail serves every test that only reads its report, topics or database; the demo, the CLI and a
 * second analyze run on their own.
 */
class PipelineIT {
    static final Instant END = Instant.parse("2026-11-21T12:00:00Z");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    static GenerationSummary trail;

    /** One analyze of the generated trail, on topics and a database of its own, shared by the tests below. */
    static KafkaSettings kafka;

    static final String SHARED_DB = "shared.duckdb";
    static JsonNode sharedReport;

    @BeforeAll
    static void start() throws Exception {
        trail = new TrailGenerator(GeneratorConfig.builder()
                        .outputDir(dir.resolve("gen"))
                        .days(3)
                        .secrets(40)
                        .eventsPerDay(600)
                        .noiseRatio(0.5)
                        .seed(7L)
                        .end(END)
                        .build())
                .generate();
        kafka = TestKafka.isolated(KAFKA.broker());
        sharedReport = ReportAssert.json(analyze(kafka, dir.resolve(SHARED_DB)).report());
    }

    private static AnalyzeJob.Outcome analyze(KafkaSettings kafka, Path db) throws Exception {
        return new AnalyzeJob(kafka, db)
                .run(new IngestConfig(List.of(trail.trailDir()), List.of(trail.inventoryDir()), 2, 1 << 20), END);
    }

    @Test
    void the_report_of_a_generated_trail_equals_its_truth_exactly() throws Exception {
        JsonNode truth = ReportAssert.truth(trail.truthFile());
        ReportAssert.matchesTruth(sharedReport, truth);
        assertThat(truth.get("ingest").get("duplicates").asLong()).isPositive();
        assertThat(truth.get("secrets").findValues("resolved")).anyMatch(v -> !v.asBoolean());
    }

    @Test
    void cost_and_alerts_agree_with_the_generated_truth() throws Exception {
        // strict: only LastRotatedDate and RotationSucceeded count, both of which truth.json gives as lastRotated
        // the shared run's data, reported with other settings: what AnalyzeJob does with them once ingested
        io.secrettrail.analytics.report.ReportSettings strict =
                io.secrettrail.analytics.report.ReportSettings.of(java.util.Map.of("rotation.mode", "strict"));
        JsonNode report;
        try (var store = OneShot.openStore(dir.resolve(SHARED_DB), strict)) {
            JsonNode ingest = sharedReport.get("ingest");
            report = ReportAssert.json(OneShot.report(
                    store,
                    strict,
                    END,
                    ingest.get("files").asLong(),
                    ingest.get("records").asLong(),
                    ingest.get("rejected").asLong()));
        }
        JsonNode truth = ReportAssert.truth(trail.truthFile());
        java.util.Map<String, Instant> inventoryAccess = inventoryLastAccessed(trail.inventoryDir());
        java.time.Duration window = java.time.Duration.ofDays(90);
        java.util.Set<String> stale = new java.util.TreeSet<>();
        java.util.Map<String, Instant> evidence = new java.util.HashMap<>();
        java.util.Map<String, Boolean> covered = new java.util.HashMap<>();
        for (JsonNode s : truth.get("secrets")) {
            String arn = s.get("arn").asText();
            String primary = arn.replace(
                    ":" + s.get("region").asText() + ":",
                    ":" + s.get("primaryRegion").asText() + ":");
            // issue 14: "unused" is judged only where the data covers the window; the generated trail
            // spans 3 days, so only the inventory's LastAccessedDate of every live secret of the group can
            if (s.get("deletedDate").isNull()) {
                covered.merge(primary, inventoryAccess.containsKey(arn), Boolean::logicalAnd);
            }
            for (Instant t : new Instant[] {time(s.get("lastAccessed")), inventoryAccess.get(arn)}) {
                if (t != null) {
                    evidence.merge(primary, t, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            boolean replica =
                    !s.get("primaryRegion").asText().equals(s.get("region").asText());
            Instant since =
                    time(s.get("lastRotated")) != null ? time(s.get("lastRotated")) : time(s.get("createdDate"));
            if (!replica
                    && s.get("deletedDate").isNull()
                    && since != null
                    && java.time.Duration.between(since, END).compareTo(window) > 0) {
                stale.add(arn);
            }
        }
        java.util.Set<String> unused = new java.util.TreeSet<>();
        for (JsonNode s : truth.get("secrets")) {
            String arn = s.get("arn").asText();
            Instant created = time(s.get("createdDate"));
            boolean replica =
                    !s.get("primaryRegion").asText().equals(s.get("region").asText());
            Instant seen = evidence.get(arn);
            // a name only refused calls give (not in the inventory, nothing succeeded on it) is not known to exist
            // (issue 12)
            boolean confirmed = s.get("rotationEnabled").isBoolean()
                    || s.get("calls").asLong() > s.get("errors").asLong();
            if (confirmed
                    && !replica
                    && s.get("deletedDate").isNull()
                    && (created == null
                            || java.time.Duration.between(created, END).compareTo(window) >= 0)
                    && (seen == null || java.time.Duration.between(seen, END).compareTo(window) > 0)
                    && covered.getOrDefault(arn, false)) {
                unused.add(arn);
            }
        }
        java.time.Instant monthStart = java.time.Instant.parse("2026-11-01T00:00:00Z");
        java.math.BigDecimal storage = java.math.BigDecimal.ZERO;
        long serviceEvents = 0;
        java.util.Set<String> disabled = new java.util.TreeSet<>();
        for (JsonNode s : truth.get("secrets")) {
            if (!s.get("exists").asBoolean(false)) {
                continue; // issue 15: a name not known to exist bears no storage
            }
            // outside the inventory (rotationEnabled null) and with no CreateSecret: from its first confirming event
            Instant created = !s.get("createdDate").isNull()
                    ? Instant.parse(s.get("createdDate").asText())
                    : s.get("rotationEnabled").isBoolean()
                            ? monthStart
                            : Instant.parse(truth.get("firstConfirmed")
                                    .get(s.get("arn").asText())
                                    .asText());
            Instant from = created.isAfter(monthStart) ? created : monthStart;
            Instant to = s.get("deletedDate").isNull()
                            || Instant.parse(s.get("deletedDate").asText()).isAfter(END)
                    ? END
                    : Instant.parse(s.get("deletedDate").asText());
            if (to.isAfter(from)) {
                storage = storage.add(new java.math.BigDecimal("0.40")
                        .multiply(java.math.BigDecimal.valueOf(
                                java.time.Duration.between(from, to).toSeconds()))
                        .divide(java.math.BigDecimal.valueOf(720L * 3600), java.math.MathContext.DECIMAL128));
            }
            for (String e : List.of(
                    "RotationStarted",
                    "RotationSucceeded",
                    "RotationFailed",
                    "TestRotationFailed",
                    "RotationAbandoned")) {
                serviceEvents += s.get("callsByEvent").path(e).asLong(0);
            }
            if (s.get("rotationEnabled").isBoolean()
                    && !s.get("rotationEnabled").asBoolean()
                    && s.get("primaryRegion").asText().equals(s.get("region").asText())
                    && s.get("deletedDate").isNull()) {
                disabled.add(s.get("arn").asText());
            }
        }
        JsonNode cost = report.get("cost");
        assertThat(cost.get("secretsMonthToDateUsd").decimalValue())
                .isEqualByComparingTo(storage.setScale(2, java.math.RoundingMode.HALF_UP));
        // Every generated event falls in November: API calls are the unique events less the service events.
        assertThat(cost.get("apiCallsMonthToDate").asLong())
                .isEqualTo(truth.get("ingest").get("secretsManagerEvents").asLong() - serviceEvents);
        assertThat(alarmed(report, "rotation-disabled")).isNotEmpty().isEqualTo(disabled);
        assertThat(alarmed(report, "stale-rotation")).isNotEmpty().isEqualTo(stale);
        assertThat(alarmed(report, "unused-secret")).isNotEmpty().isEqualTo(unused);
    }

    private static java.util.Set<String> alarmed(JsonNode report, String rule) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        report.get("alerts").forEach(a -> {
            if (a.get("rule").asText().equals(rule)) {
                out.add(a.get("resource").asText());
            }
        });
        return out;
    }

    private static Instant time(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }

    /** LastAccessedDate of every inventory entry, read straight from the list-secrets files. */
    private static java.util.Map<String, Instant> inventoryLastAccessed(Path dir) throws java.io.IOException {
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                for (JsonNode e : ReportAssert.JSON.readTree(f.toFile()).get("SecretList")) {
                    JsonNode d = e.get("LastAccessedDate");
                    if (d != null && !d.isNull()) {
                        out.put(
                                e.get("ARN").asText(),
                                d.isNumber()
                                        ? Instant.ofEpochSecond(d.asLong())
                                        : java.time.OffsetDateTime.parse(d.asText())
                                                .toInstant());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void a_trail_read_while_the_broker_starts_gives_the_report_of_its_truth() throws Exception {
        // Issue 16: reading does not wait for Kafka. Here Kafka "comes up" only once ingest has read
        // the whole trail and waits to flush: every message is held, then published in order.
        KafkaSettings slow = TestKafka.isolated(KAFKA.broker());
        HeldOutbox held = new HeldOutbox(AnalyzeJob.HELD_BYTES);
        int[] heldWhenUp = new int[1];
        AnalyzeJob.KafkaStart start = new AnalyzeJob.KafkaStart() {
            @Override
            public KafkaSettings await() {
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(120))
                        .until(held::flushWaiting);
                heldWhenUp[0] = held.heldMessages();
                return slow;
            }

            @Override
            public KafkaSettings.Topics topics() {
                return slow.topics();
            }
        };
        AnalyzeJob.Outcome outcome = new AnalyzeJob(
                        start, dir.resolve("slow-broker.duckdb"), ReportSettings.defaults(), Clock.systemUTC())
                .run(
                        new IngestConfig(List.of(trail.trailDir()), List.of(trail.inventoryDir()), 2, 1 << 20),
                        END,
                        new BillingImport.Fetched(List.of(), List.of(), null, List.of()),
                        held);
        assertThat(heldWhenUp[0]).isGreaterThan((int) trail.secretsManagerEvents());
        ReportAssert.matchesTruth(ReportAssert.json(outcome.report()), ReportAssert.truth(trail.truthFile()));
        assertThat(held.heldMessages()).isZero();
    }

    @Test
    void a_secret_value_in_the_trail_reaches_neither_kafka_nor_duckdb() throws Exception {
        Path db = dir.resolve(SHARED_DB);
        String canary = ReportAssert.JSON
                .readTree(trail.truthFile().toFile())
                .get("canary")
                .asText();
        assertThat(TrailGrep.containsInTrail(trail.trailDir(), canary))
                .as("the generated trail carries the canary")
                .isTrue();
        List<ConsumerRecord<byte[], byte[]>> events =
                TestKafka.readAll(KAFKA.bootstrap(), kafka.topics().events());
        assertThat(events).isNotEmpty().noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(canary));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FILTER (WHERE raw LIKE '%" + canary + "%'), count(*) FROM events")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            assertThat(rs.getLong(2)).isPositive();
        }
    }

    @Test
    void events_are_keyed_by_canonical_arn_or_account_and_region() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> events =
                TestKafka.readAll(KAFKA.bootstrap(), kafka.topics().events());
        assertThat(events)
                .allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8))
                        .matches("arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+|\\d{12}:[a-z0-9-]+"
                                + "|delivery:\\d{12}:[a-z0-9-]+"));
        assertThat(events)
                .anySatisfy(r ->
                        assertThat(new String(r.key(), StandardCharsets.UTF_8)).matches("\\d{12}:[a-z0-9-]+"));
        // issue 14: every generated trail file announces its delivery under its account and region
        assertThat(events)
                .anySatisfy(r ->
                        assertThat(new String(r.key(), StandardCharsets.UTF_8)).matches("delivery:\\d{12}:[a-z0-9-]+"));
    }

    @Test
    void the_demo_writes_a_report_equal_to_its_generated_truth() throws Exception {
        Path work = dir.resolve("demo-work");
        // A previous demo run's trail in the work directory: the demo regenerates its trail in place (the
        // generator refuses a trail directory that is not empty, and a leftover file would change the report).
        Path leftover = work.resolve("demo").resolve("trail").resolve("from-a-previous-run.json");
        java.nio.file.Files.createDirectories(leftover.getParent());
        try (var files = java.nio.file.Files.walk(trail.trailDir())) {
            java.nio.file.Files.copy(
                    files.filter(java.nio.file.Files::isRegularFile).findFirst().orElseThrow(), leftover);
        }
        assertThat(Main.run("demo", "--no-serve", "--kafka", KAFKA.bootstrap(), "--work-dir", work.toString()))
                .isZero();
        assertThat(leftover).doesNotExist();
        ReportAssert.matchesTruth(
                ReportAssert.JSON.readTree(work.resolve("demo-report.json").toFile()),
                ReportAssert.truth(work.resolve("demo").resolve("truth.json")));
        // The demo plants every attack scenario: its 40 days leave room for all of them.
        assertThat(ReportAssert.JSON
                        .readTree(work.resolve("demo").resolve("scenarios.json").toFile())
                        .get("skipped"))
                .isEmpty();
        // Its 40 days show a closed month and the open one (issue 15)
        JsonNode months = ReportAssert.JSON
                .readTree(work.resolve("demo-report.json").toFile())
                .get("cost")
                .get("months");
        assertThat(months.size()).isGreaterThanOrEqualTo(2);
        assertThat(months.get(months.size() - 1).get("closed").asBoolean()).isFalse();
        assertThat(months.get(months.size() - 2).get("closed").asBoolean()).isTrue();
        assertThat(months.get(months.size() - 2).get("events").asLong()).isPositive();
    }

    @Test
    void csv_format_writes_secrets_csv_into_the_out_directory() throws Exception {
        Path out = dir.resolve("csv-out");
        assertThat(Main.run(
                        "analyze",
                        "--kafka",
                        KAFKA.bootstrap(),
                        "--work-dir",
                        dir.resolve("csv-work").toString(),
                        "--trail",
                        trail.trailDir().toString(),
                        "--inventory",
                        trail.inventoryDir().toString(),
                        "--as-of",
                        END.toString(),
                        "--format",
                        "csv",
                        "--out",
                        out.toString()))
                .isZero();
        List<String> lines = java.nio.file.Files.readAllLines(out.resolve("secrets.csv"));
        assertThat(lines.get(0)).startsWith("arn,name,account,region");
        assertThat(lines)
                .hasSize(1
                        + ReportAssert.JSON
                                .readTree(trail.truthFile().toFile())
                                .get("secrets")
                                .size());
        assertThat(java.nio.file.Files.readAllLines(out.resolve("alerts.csv")).get(0))
                .startsWith("rule,severity,resource,status,reason");
        assertThat(java.nio.file.Files.readAllLines(out.resolve("cost.csv")))
                .anySatisfy(l -> assertThat(l).startsWith("2026-11,total,all,"));
    }

    @Test
    void analyzing_again_on_the_same_topics_gives_the_same_report() throws Exception {
        JsonNode second =
                ReportAssert.json(analyze(kafka, dir.resolve(SHARED_DB)).report());
        assertThat(second).isEqualTo(sharedReport);
    }
}
