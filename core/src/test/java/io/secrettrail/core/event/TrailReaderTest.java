package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrailReaderTest {
    @TempDir
    Path dir;

    private final TrailReader reader = new TrailReader();

    private Collecting read(Path f) throws IOException {
        Collecting sink = new Collecting();
        reader.read(f, f.getFileName().toString(), sink);
        return sink;
    }

    @Test
    void reads_every_secrets_manager_record_of_the_stratus_detonation_as_ndjson() throws IOException {
        Collecting sink = read(Fixtures.path("stratus-red-team/events.ndjson"));
        assertThat(sink.events).hasSize(26);
        assertThat(sink.rejections).isEmpty();
        assertThat(sink.events)
                .filteredOn(e -> e.eventName().equals("GetSecretValue"))
                .hasSize(20)
                .allSatisfy(e -> assertThat(e.secretIds())
                        .singleElement()
                        .satisfies(id -> assertThat(id.field()).isEqualTo("requestParameters.secretId")));
        assertThat(sink.events)
                .filteredOn(e -> e.eventName().equals("BatchGetSecretValue"))
                .allSatisfy(e -> {
                    assertThat(e.filterBatch()).isTrue();
                    assertThat(e.secretIds()).isEmpty();
                });
    }

    @Test
    void skips_other_services_without_rejecting_them() throws IOException {
        Path f = Fixtures.path("stratus-red-team/all_other_events.ndjson");
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(f, "all_other_events.ndjson", sink);
        assertThat(r.records())
                .isEqualTo(Fixtures.lines("stratus-red-team/all_other_events.ndjson")
                        .size());
        // only CloudTrail's own logging changes (issue 14), which are not Secrets Manager records
        assertThat(sink.events).allMatch(CloudTrailEvent::loggingChange).hasSize(3);
        assertThat(r.secretsManagerRecords()).isZero();
        assertThat(sink.rejections).isEmpty();
    }

    @Test
    void reads_a_gzip_records_file_mixed_with_noise() throws IOException {
        List<String> records =
                new ArrayList<>(Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 5));
        records.addAll(
                Fixtures.lines("stratus-red-team/all_other_events.ndjson").subList(0, 7));
        Path f = Fixtures.recordsFile(dir, "AWSLogs/165109126369/CloudTrail/us-east-1/2024/07/31/x.json.gz", records);
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(f, "x.json.gz", sink);
        assertThat(r.records()).isEqualTo(12);
        assertThat(r.secretsManagerRecords()).isEqualTo(5);
        assertThat(sink.rejections).isEmpty();
    }

    @Test
    void aws_processing_library_records_files_are_read_as_records_of_other_services() throws IOException {
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(
                Fixtures.path("aws-cloudtrail-processing-library/SerializerTestFileCompact.json.gz"), "c", sink);
        assertThat(r.records()).isEqualTo(6);
        assertThat(sink.events).isEmpty();
        assertThat(sink.rejections).isEmpty();
        assertThat(reader.read(
                                Fixtures.path("aws-cloudtrail-processing-library/SerializerTestFile.json"),
                                "p",
                                new Collecting())
                        .records())
                .isEqualTo(6);
    }

    @Test
    void service_event_names_its_secret_in_additional_event_data() throws IOException {
        Collecting sink = read(Fixtures.path("awsdocs-aws-secrets-manager-docs/events.ndjson"));
        CloudTrailEvent failed = sink.events.stream()
                .filter(e -> e.eventName().equals("RotationFailed"))
                .findFirst()
                .orElseThrow();
        assertThat(failed.isApiCall()).isFalse();
        assertThat(failed.secretIds().get(0))
                .isEqualTo(new CloudTrailEvent.SecretId(
                        "arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3",
                        "additionalEventData.SecretId"));
        assertThat(failed.principal().key()).isEqualTo("secretsmanager.amazonaws.com");
        assertThat(failed.errorMessage()).contains("setSecret");
    }

    @Test
    void old_aRN_spelling_comes_before_the_request_secret_id() throws IOException {
        Collecting sink = read(Fixtures.path("awsdocs-aws-secrets-manager-docs/events.ndjson"));
        CloudTrailEvent delete = sink.events.stream()
                .filter(e -> e.eventName().equals("DeleteSecret"))
                .findFirst()
                .orElseThrow();
        assertThat(delete.secretIds())
                .extracting(CloudTrailEvent.SecretId::field)
                .containsExactly("responseElements.aRN", "requestParameters.secretId");
        CloudTrailEvent create = sink.events.stream()
                .filter(e -> e.eventName().equals("CreateSecret"))
                .findFirst()
                .orElseThrow();
        assertThat(create.secretIds())
                .extracting(CloudTrailEvent.SecretId::value)
                .contains("MyDatabaseSecret");
        assertThat(create.principal().key()).isEqualTo("arn:aws:iam::123456789012:root");
    }

    @Test
    void unwraps_an_eventbridge_envelope() throws IOException {
        Collecting sink = read(Fixtures.path("opengovsg-postmangovsg/eventbridge_envelope.json"));
        assertThat(sink.rejections).isEmpty();
        assertThat(sink.events).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo("PutSecretValue");
            assertThat(new String(e.raw(), StandardCharsets.UTF_8))
                    .startsWith("{\"eventVersion\"")
                    .doesNotContain("detail-type");
        });
    }

    @Test
    void partial_panther_records_are_accepted_with_normalised_times_and_those_without_a_time_rejected()
            throws IOException {
        Collecting sink = read(Fixtures.path("panther-analysis/events.ndjson"));
        assertThat(sink.rejections).extracting(Rejection::recordIndex).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(sink.rejections).extracting(Rejection::field).containsOnly("eventTime");
        assertThat(sink.events).hasSize(3);
        assertThat(sink.events.get(0).eventTime()).hasToString("2024-01-01T00:00:00Z");
        assertThat(sink.events)
                .filteredOn(e -> "AccessDenied".equals(e.errorCode()))
                .isNotEmpty()
                .allSatisfy(e ->
                        assertThat(e.principal().key()).startsWith("arn:aws:iam::123123123123:role/aws-reserved/"));
    }

    @Test
    void secret_values_are_dropped_at_any_depth() throws IOException {
        String ev =
                "{\"eventVersion\":\"1.09\",\"eventID\":\"e1\",\"eventTime\":\"2026-11-01T00:00:00Z\",\"eventSource\":\"secretsmanager.amazonaws.com\","
                        + "\"eventName\":\"PutSecretValue\",\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111111111111\","
                        + "\"requestParameters\":{\"secretId\":\"app/db\",\"secretString\":\"hunter2\",\"nested\":{\"SecretBinary\":\"aHVudGVyMg==\"}},"
                        + "\"responseElements\":{\"arn\":\"arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf\"}}";
        Files.writeString(dir.resolve("one.json"), ev);
        Collecting sink = read(dir.resolve("one.json"));
        String raw = new String(sink.events.get(0).raw(), StandardCharsets.UTF_8);
        assertThat(raw)
                .doesNotContain("hunter2")
                .doesNotContain("aHVudGVyMg")
                .doesNotContainIgnoringCase("secretString")
                .contains("\"secretId\":\"app/db\"")
                .contains("\"nested\":{}");
    }

    // Issue 14: the reader records THAT a request carried a value (it wrote a version), never the value.

    private CloudTrailEvent readOne(String name, String json) throws IOException {
        Files.writeString(dir.resolve(name), json);
        Collecting sink = read(dir.resolve(name));
        assertThat(sink.rejections).isEmpty();
        return sink.events.get(0);
    }

    private static String updateSecret(String requestParameters) {
        return "{\"eventVersion\":\"1.09\",\"eventID\":\"u1\",\"eventTime\":\"2026-11-01T00:00:00Z\","
                + "\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"UpdateSecret\","
                + "\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"111111111111\",\"requestParameters\":"
                + requestParameters + ",\"responseElements\":null,\"eventType\":\"AwsApiCall\"}";
    }

    @Test
    void a_request_carrying_only_a_secret_binary_is_marked_and_the_value_dropped() throws IOException {
        // Regression (issue 16): the byte scan that sends a record to the careful path missed a
        // plain secretBinary key when no secretString was beside it.
        for (String key : List.of("secretBinary", "SecretBinary", "SECRETBINARY")) {
            CloudTrailEvent e =
                    readOne(key + ".json", updateSecret("{\"secretId\":\"app/db\",\"" + key + "\":\"aHVudGVyMg==\"}"));
            assertThat(e.carriedValue()).as(key).isTrue();
            assertThat(new String(e.raw(), StandardCharsets.UTF_8))
                    .as(key)
                    .doesNotContain("aHVudGVyMg")
                    .doesNotContainIgnoringCase("secretBinary");
        }
    }

    @Test
    void a_secrets_manager_source_does_not_look_like_a_secret_value() throws IOException {
        CloudTrailEvent e = readOne("plain.json", updateSecret("{\"secretId\":\"app/secretsmanager-secretstrin\"}"));
        assertThat(e.carriedValue()).isFalse();
        assertThat(new String(e.raw(), StandardCharsets.UTF_8)).contains("app/secretsmanager-secretstrin");
    }

    @Test
    void an_identity_written_before_the_event_source_is_read_and_the_last_of_duplicates_wins() throws IOException {
        String identity = "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::111111111111:assumed-role/%s/s1\","
                + "\"accountId\":\"111111111111\"}";
        String first = "{\"eventVersion\":\"1.09\",\"userIdentity\":" + identity.formatted("early")
                + ",\"eventTime\":\"2026-11-01T00:00:00Z\",\"eventSource\":\"secretsmanager.amazonaws.com\","
                + "\"eventName\":\"GetSecretValue\",\"eventID\":\"d1\",\"requestParameters\":{\"secretId\":\"app/db\"}}";
        assertThat(readOne("early.json", first).principal().key()).isEqualTo("arn:aws:iam::111111111111:role/early");
        String twice = "{\"userIdentity\":" + identity.formatted("one") + ",\"userIdentity\":"
                + identity.formatted("two") + ",\"eventTime\":\"2026-11-01T00:00:00Z\","
                + "\"eventSource\":\"secretsmanager.amazonaws.com\",\"eventName\":\"GetSecretValue\",\"eventID\":\"d2\"}";
        assertThat(readOne("twice.json", twice).principal().key()).isEqualTo("arn:aws:iam::111111111111:role/two");
        String after = "{\"userIdentity\":" + identity.formatted("before")
                + ",\"eventSource\":\"secretsmanager.amazonaws.com\",\"userIdentity\":" + identity.formatted("after")
                + ",\"eventTime\":\"2026-11-01T00:00:00Z\",\"eventName\":\"GetSecretValue\",\"eventID\":\"d3\"}";
        assertThat(readOne("after.json", after).principal().key()).isEqualTo("arn:aws:iam::111111111111:role/after");
    }

    @Test
    void a_request_carrying_a_secret_value_is_marked_and_the_value_dropped() throws IOException {
        CloudTrailEvent e =
                readOne("value.json", updateSecret("{\"secretId\":\"app/db\",\"secretString\":\"hunter2\"}"));
        assertThat(e.carriedValue()).isTrue();
        assertThat(new String(e.raw(), StandardCharsets.UTF_8)).doesNotContain("hunter2");
        CloudTrailEvent binary = readOne(
                "binary.json", updateSecret("{\"secretId\":\"app/db\",\"secret\\u0042inary\":\"aHVudGVyMg==\"}"));
        assertThat(binary.carriedValue()).isTrue();
        assertThat(new String(binary.raw(), StandardCharsets.UTF_8)).doesNotContain("aHVudGVyMg");
    }

    @Test
    void a_request_without_a_value_a_null_one_or_one_outside_the_request_is_not_marked() throws IOException {
        assertThat(readOne("desc.json", updateSecret("{\"secretId\":\"app/db\",\"description\":\"rev 3\"}"))
                        .carriedValue())
                .isFalse();
        assertThat(readOne("null.json", updateSecret("{\"secretId\":\"app/db\",\"secretString\":null}"))
                        .carriedValue())
                .isFalse();
        assertThat(readOne(
                                "nested.json",
                                updateSecret("{\"secretId\":\"app/db\",\"nested\":{\"secretString\":\"hunter2\"}}"))
                        .carriedValue())
                .isFalse();
        // the real PutSecretValue record: CloudTrail logs no value, so nothing is marked
        Collecting real = read(Fixtures.path("opengovsg-postmangovsg/events.ndjson"));
        assertThat(real.events)
                .singleElement()
                .extracting(CloudTrailEvent::carriedValue)
                .isEqualTo(false);
    }

    @Test
    void a_value_in_an_eventbridge_envelopes_request_is_marked() throws IOException {
        String detail = updateSecret("{\"secretId\":\"app/db\",\"secretString\":\"hunter2\"}");
        CloudTrailEvent e = readOne(
                "envelope.json",
                "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.secretsmanager\","
                        + "\"detail\":" + detail + "}");
        assertThat(e.carriedValue()).isTrue();
        assertThat(new String(e.raw(), StandardCharsets.UTF_8)).doesNotContain("hunter2");
    }

    @Test
    void a_secret_value_behind_a_unicode_escape_is_dropped_too() throws IOException {
        String ev =
                "{\"eventID\":\"e2\",\"eventTime\":\"2026-11-01T00:00:00Z\",\"eventSource\":\"secretsmanager.amazonaws.com\","
                        + "\"eventName\":\"PutSecretValue\",\"requestParameters\":{\"secretId\":\"app/db\",\"secret\\u0053tring\":\"hunter2\"}}";
        Files.writeString(dir.resolve("esc.json"), ev);
        String raw = new String(read(dir.resolve("esc.json")).events.get(0).raw(), StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("hunter2").contains("app/db");
    }

    @Test
    void records_keep_their_exact_original_bytes() throws IOException {
        List<String> records = Fixtures.lines("stratus-red-team/events.ndjson").subList(5, 9);
        Path f = Fixtures.recordsFile(dir, "exact.json.gz", records);
        Collecting sink = new Collecting();
        reader.read(f, "exact.json.gz", sink);
        assertThat(sink.events)
                .extracting(e -> new String(e.raw(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(records);
    }

    @Test
    void truncated_gzip_keeps_the_records_before_the_cut_and_names_the_file() throws IOException {
        List<String> records = Fixtures.lines("stratus-red-team/events.ndjson");
        Path whole = Fixtures.recordsFile(dir, "whole.json.gz", records);
        byte[] bytes = Fixtures.bytes(whole);
        Path cut = dir.resolve("cut.json.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(cut, "trail/cut.json.gz", sink);
        assertThat(sink.events).isNotEmpty().hasSizeLessThan(records.size());
        assertThat(r.fileError()).contains("truncated");
        assertThat(sink.rejections).singleElement().satisfies(x -> {
            assertThat(x.recordIndex()).isEqualTo(sink.events.size() + 1);
            assertThat(x.message())
                    .startsWith("trail/cut.json.gz, record " + (sink.events.size() + 1)
                            + ": truncated or corrupt gzip after record " + sink.events.size() + " (");
        });
    }

    @Test
    void invalid_json_in_ndjson_rejects_that_line_and_reads_the_next() throws IOException {
        List<String> lines =
                new ArrayList<>(Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 6));
        lines.set(2, lines.get(2).substring(0, 200) + " oops}");
        Files.write(dir.resolve("bad.ndjson"), lines);
        Collecting sink = read(dir.resolve("bad.ndjson"));
        assertThat(sink.events).hasSize(5);
        assertThat(sink.rejections).singleElement().satisfies(x -> {
            assertThat(x.recordIndex()).isEqualTo(3);
            assertThat(x.error()).contains("invalid JSON (line 3");
        });
    }

    @Test
    void a_broken_first_line_of_ndjson_loses_only_itself() throws IOException {
        // Found by MutatedTrailPropertiesTest: the first record broke before the reader knew the file
        // was NDJSON, and it searched for a Records marker instead, losing every line after.
        List<String> lines =
                new ArrayList<>(Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 4));
        lines.set(0, "{#" + lines.get(0).substring(2));
        Files.write(dir.resolve("first.ndjson"), lines);
        assertThat(read(dir.resolve("first.ndjson")).events).hasSize(3);
        lines.set(0, "garbage before anything");
        Files.write(dir.resolve("garbage.ndjson"), lines);
        Collecting sink = read(dir.resolve("garbage.ndjson"));
        assertThat(sink.events).hasSize(3);
        assertThat(sink.rejections)
                .singleElement()
                .satisfies(r -> assertThat(r.recordIndex()).isEqualTo(1));
    }

    @Test
    void line_numbers_stay_true_after_a_resync() throws IOException {
        List<String> lines =
                new ArrayList<>(Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 7));
        lines.set(1, "{ broken");
        lines.set(4, lines.get(4).substring(0, 50) + " oops}");
        Files.write(dir.resolve("two.ndjson"), lines);
        Collecting sink = read(dir.resolve("two.ndjson"));
        assertThat(sink.events).hasSize(5);
        assertThat(sink.rejections).extracting(Rejection::recordIndex).containsExactly(2L, 5L);
        assertThat(sink.rejections.get(0).error()).contains("(line 2,");
        assertThat(sink.rejections.get(1).error()).contains("(line 5,");
    }

    @Test
    void invalid_json_inside_a_records_array_resumes_at_the_next_record() throws IOException {
        List<String> records = new ArrayList<>(Fixtures.lines("awsdocs-aws-secrets-manager-docs/events.ndjson"));
        records.set(3, records.get(3).substring(0, 150) + "!!garbage");
        Path f = Fixtures.recordsFile(dir, "mid.json.gz", records);
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(f, "mid.json.gz", sink);
        assertThat(sink.events).hasSize(records.size() - 1);
        assertThat(sink.rejections)
                .singleElement()
                .satisfies(x -> assertThat(x.recordIndex()).isEqualTo(4));
        assertThat(r.fileError()).isNull();
    }

    @Test
    void wrong_types_name_the_field() throws IOException {
        List<String> lines =
                new ArrayList<>(Fixtures.lines("stratus-red-team/events.ndjson").subList(4, 8));
        lines.set(1, lines.get(1).replaceFirst("\"eventTime\": \"[^\"]+\"", "\"eventTime\": 1722428957"));
        lines.set(2, lines.get(2).replaceFirst("\"secretId\": \"[^\"]+\"", "\"secretId\": 42"));
        Files.write(dir.resolve("types.ndjson"), lines);
        Collecting sink = read(dir.resolve("types.ndjson"));
        assertThat(sink.rejections)
                .extracting(Rejection::recordIndex, Rejection::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "eventTime"),
                        org.assertj.core.groups.Tuple.tuple(3L, "requestParameters.secretId"));
        assertThat(sink.rejections.get(1).error()).isEqualTo("expected a string, found a number (42)");
        assertThat(sink.events).hasSize(2);
    }

    @Test
    void a_50_mb_string_field_is_rejected_by_name_and_the_rest_is_read() throws IOException {
        List<String> lines = Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 3);
        Path f = dir.resolve("huge.ndjson");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write((lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            String head =
                    lines.get(1).replace("\"requestParameters\": {", "\"requestParameters\": {\"description\": \"");
            int cut = head.indexOf("\"description\": \"") + "\"description\": \"".length();
            out.write(head.substring(0, cut).getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "A".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write(("\", " + head.substring(cut) + "\n").getBytes(StandardCharsets.UTF_8));
            out.write((lines.get(2) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Collecting sink = read(f);
        assertThat(sink.events).hasSize(2);
        assertThat(sink.rejections).singleElement().satisfies(x -> {
            assertThat(x.recordIndex()).isEqualTo(2);
            assertThat(x.field()).isEqualTo("requestParameters.description");
            // Since issue 12 the record limit (1 MiB) applies before the field limit, and names the size.
            assertThat(x.error())
                    .startsWith("record of 5242")
                    .endsWith(" bytes exceeds the limit of 1048576 bytes (--max-record-bytes)");
        });
    }

    @Test
    void a_string_over_the_field_limit_in_a_record_within_the_record_limit_is_rejected_by_field() throws IOException {
        List<String> lines = Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 3);
        String long2k = "B".repeat(2000);
        List<String> edited = List.of(
                lines.get(0),
                lines.get(1)
                        .replace(
                                "\"requestParameters\": {",
                                "\"requestParameters\": {\"description\": \"" + long2k + "\", "),
                lines.get(2));
        Files.write(dir.resolve("field.ndjson"), edited);
        Collecting sink = new Collecting();
        new TrailReader(1024).read(dir.resolve("field.ndjson"), "field.ndjson", sink);
        assertThat(sink.events).hasSize(2);
        assertThat(sink.rejections).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("requestParameters.description");
            assertThat(x.error()).isEqualTo("string of 2000 characters exceeds the limit of 1024");
        });
    }

    @Test
    void non_utf8_bytes_reject_their_record_only() throws IOException {
        List<String> lines = Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 3);
        Path f = dir.resolve("latin1.ndjson");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write((lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(lines.get(1).replace("stratus-red-team_", "caf\u00e9-").getBytes(StandardCharsets.ISO_8859_1));
            out.write('\n');
            out.write((lines.get(2) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Collecting sink = read(f);
        assertThat(sink.events).hasSize(2);
        assertThat(sink.rejections).singleElement().satisfies(x -> {
            assertThat(x.recordIndex()).isEqualTo(2);
            assertThat(x.error()).containsIgnoringCase("UTF-8");
        });
    }

    @Test
    void an_empty_file_has_no_records_and_no_error() throws IOException {
        Files.write(dir.resolve("empty.json.gz"), new byte[0]);
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(dir.resolve("empty.json.gz"), "empty.json.gz", sink);
        assertThat(r).isEqualTo(new TrailReader.Result(0, 0, 0, null));
        Path emptyGzip = dir.resolve("empty2.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(emptyGzip))) {
            out.flush();
        }
        assertThat(reader.read(emptyGzip, "empty2.json.gz", sink).records()).isZero();
        assertThat(sink.rejections).isEmpty();
    }

    @Test
    void a_json_array_of_events_is_read() throws IOException {
        List<String> lines = Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 4);
        Files.writeString(dir.resolve("array.json"), "[" + String.join(",\n", lines) + "]");
        assertThat(read(dir.resolve("array.json")).events).hasSize(4);
    }
}
