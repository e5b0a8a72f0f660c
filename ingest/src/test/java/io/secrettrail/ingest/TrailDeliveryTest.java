package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.event.ReadLimits;
import io.secrettrail.core.event.TrailReader;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: each trail file read is announced on the events topic with its account, region and
 * latest eventTime, so analytics can tell a silent trail; CloudTrail's logging changes are
 * published beside the Secrets Manager events.
 */
class TrailDeliveryTest {
    /** Stratus Red Team's 284 real records of other techniques (see core's test resources, SOURCE.md). */
    static final Path OTHER = Path.of(
            "..", "core", "src", "test", "resources", "cloudtrail", "stratus-red-team", "all_other_events.ndjson");

    static final String KEY =
            "AWSLogs/958312252124/CloudTrail/us-east-1/2024/11/30/958312252124_CloudTrail_us-east-1_20241130T0845Z_x1Yz.json";

    /** When ingest read the file: after the latest real record of {@link #OTHER} (08:43:18Z). */
    static final Instant READ_AT = Instant.parse("2024-11-30T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void account_and_region_come_from_cloudtrails_file_name_under_any_prefix() {
        TrailReader.Result read = new TrailReader.Result(3, 1, 0, null, Instant.parse("2026-11-21T10:04:59Z"));
        assertThat(Delivery.of(KEY, read, READ_AT))
                .extracting(Delivery::account, Delivery::region, Delivery::key)
                .containsExactly("958312252124", "us-east-1", "delivery:958312252124:us-east-1");
        assertThat(Delivery.of(
                        "s3://trail-bucket/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/21/"
                                + "111122223333_CloudTrail_eu-west-1_20261121T1005Z_abc.json.gz",
                        read,
                        READ_AT))
                .extracting(Delivery::account, Delivery::region)
                .containsExactly("111122223333", "eu-west-1");
        assertThat(Delivery.of("real/stratus-red-team.ndjson", read, READ_AT)).isNull();
        assertThat(Delivery.of("11112222333_CloudTrail_eu-west-1_x.json", read, READ_AT))
                .as("not 12 digits")
                .isNull();
        assertThat(Delivery.of(KEY, new TrailReader.Result(3, 0, 3, null, null), READ_AT))
                .as("no record had a readable time")
                .isNull();
    }

    @Test
    void a_trail_file_publishes_its_logging_changes_and_one_delivery_a_file_of_another_name_none() throws Exception {
        Path trail = dir.resolve(KEY);
        Files.createDirectories(trail.getParent());
        Files.copy(OTHER, trail);
        Files.copy(OTHER, dir.resolve("export.ndjson"));
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaSettings.Topics topics = KafkaSettings.Topics.defaults();
        EventPublisher publisher = new EventPublisher(
                producer, topics, new SecretResolver(new SecretIndex()), java.time.Clock.systemUTC());
        IngestSummary s = new TrailIngestor(
                        new IngestConfig(List.of(dir), List.of(), 1, ReadLimits.defaults()),
                        publisher,
                        new SecretIndex())
                .read(List.of(trail, dir.resolve("export.ndjson")), dir);

        assertThat(s.secretsManagerRecords()).isZero();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).allMatch(r -> r.topic().equals(topics.events()));
        List<ProducerRecord<byte[], byte[]>> deliveries = sent.stream()
                .filter(r -> key(r).startsWith(Delivery.KEY_PREFIX))
                .toList();
        assertThat(deliveries).singleElement().satisfies(r -> {
            assertThat(key(r)).isEqualTo("delivery:958312252124:us-east-1");
            // the header, not the key, marks a delivery: analytics trusts nothing a trail file could spell
            assertThat(new String(
                            r.headers()
                                    .lastHeader(io.secrettrail.core.KafkaSettings.Headers.MESSAGE)
                                    .value(),
                            java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("delivery");
            JsonNode d = io.secrettrail.core.Json.mapper().readTree(r.value());
            assertThat(d.path("file").asText()).endsWith(KEY); // named as ingest names it, under its root
            assertThat(d.path("latestEventTime").asText()).isEqualTo("2024-11-30T08:43:18Z");
            assertThat(d.path("records").asLong()).isEqualTo(284);
        });
        // three logging changes per file, keyed account:region (they name no secret)
        assertThat(sent.stream().filter(r -> !key(r).startsWith(Delivery.KEY_PREFIX)))
                .hasSize(6)
                .allMatch(r -> key(r).matches("\\d{12}:[a-z0-9-]+"));
    }

    /**
     * Review M1: a writer of trail files dated its last record hours ahead, so the file counted as a
     * delivery at that time and kept its account and region from going silent until then (and a
     * report before then did not see the file at all). No delivery is dated after the file was read.
     */
    @Test
    void records_dated_hours_ahead_make_a_delivery_dated_when_the_file_was_read() throws Exception {
        assertThat(deliveredAt(null))
                .as("real records only: their own latest time")
                .isEqualTo("2024-11-30T08:43:18Z");
        assertThat(deliveredAt("2024-11-30T14:00:00Z"))
                .as("a record 5 hours after the read")
                .isEqualTo("2024-11-30T09:00:00Z");
        assertThat(deliveredAt("2024-11-30T09:00:00Z"))
                .as("a record dated the read's instant")
                .isEqualTo("2024-11-30T09:00:00Z");
        assertThat(deliveredAt("2024-11-30T08:59:59Z"))
                .as("one second before the read")
                .isEqualTo("2024-11-30T08:59:59Z");
    }

    /** The latestEventTime of the delivery of {@link #OTHER} read at {@link #READ_AT}, with one more record dated {@code extra}. */
    String deliveredAt(String extra) throws Exception {
        Path trail =
                dir.resolve(extra == null ? "none" : extra.replace(':', '-')).resolve(KEY);
        Files.createDirectories(trail.getParent());
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(OTHER));
        if (extra != null) {
            lines.add(lines.get(0).replaceFirst("\"eventTime\": *\"[^\"]*\"", "\"eventTime\": \"" + extra + "\""));
        }
        Files.write(trail, lines);
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        EventPublisher publisher = new EventPublisher(
                producer,
                KafkaSettings.Topics.defaults(),
                new SecretResolver(new SecretIndex()),
                java.time.Clock.fixed(READ_AT, java.time.ZoneOffset.UTC));
        new TrailIngestor(
                        new IngestConfig(List.of(trail.getParent()), List.of(), 1, ReadLimits.defaults()),
                        publisher,
                        new SecretIndex())
                .read(List.of(trail), dir);
        ProducerRecord<byte[], byte[]> d = producer.history().stream()
                .filter(r -> key(r).startsWith(Delivery.KEY_PREFIX))
                .collect(java.util.stream.Collectors.toList())
                .get(0);
        return io.secrettrail.core.Json.mapper()
                .readTree(d.value())
                .path("latestEventTime")
                .asText();
    }

    static String key(ProducerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }
}
