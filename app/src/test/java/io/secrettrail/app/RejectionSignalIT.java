package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.KafkaSettings.Headers;
import io.secrettrail.ingest.IngestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 18, end to end: Secrets Manager records malformed so that they are rejected are
 * marked as such by ingest, read back by analytics from the dead-letter topic, and past the
 * threshold raise rejected-records in the report.
 */
class RejectionSignalIT {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestBroker KAFKA = new TestBroker();

    @Test
    void twelve_malformed_secrets_manager_records_in_one_trail_raise_rejected_records() throws Exception {
        List<String> ev = MalformedInputIT.stratus();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            String line = ev.get(i);
            // the first twelve hidden by a wrong-typed eventTime; the last two valid
            lines.add(i < 12 ? line.replaceFirst("\"eventTime\": \"[^\"]+\"", "\"eventTime\": 17") : line);
        }
        Path trail = dir.resolve("trail");
        Files.createDirectories(trail);
        Files.write(trail.resolve("hidden.ndjson"), lines, StandardCharsets.UTF_8);

        KafkaSettings kafka = TestKafka.isolated(KAFKA.broker());
        AnalyzeJob.Outcome outcome = new AnalyzeJob(kafka, dir.resolve("signal.duckdb"))
                .run(new IngestConfig(List.of(trail), List.of(), 1, 1 << 20), Instant.parse("2026-11-21T00:00:00Z"));

        assertThat(outcome.report().ingest().rejected()).isEqualTo(12);
        List<ConsumerRecord<byte[], byte[]>> dead =
                TestKafka.readAll(kafka.bootstrapServers(), kafka.topics().deadLetter());
        assertThat(dead).hasSize(12).allSatisfy(d -> {
            assertThat(new String(
                            d.headers().lastHeader(Headers.SECRETS_MANAGER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("true");
            assertThat(new String(d.headers().lastHeader(Headers.STAGE).value(), StandardCharsets.UTF_8))
                    .isEqualTo("ingest");
        });
        assertThat(outcome.report().alerts())
                .filteredOn(f -> f.rule().equals("rejected-records"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.resource()).isEqualTo("trail");
                    assertThat(f.reason())
                            .startsWith("12 rejected records that were Secrets Manager events, from trail in 1 file")
                            .contains("trail/hidden.ndjson (12)");
                })
                .extracting(Finding::severity)
                .isEqualTo("high");
    }
}
