package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 2: a record of 2.7 MB whose fields are each under --max-field-chars made the
 * producer fail and the run exit 1. Records over --max-record-bytes are rejected at ingest with
 * their size, the field where they passed the limit and a short preview, and the rest is read.
 */
class RecordSizeLimitIT {
    static final List<String> REAL = Fixtures.lines("stratus-red-team/events.ndjson");

    @TempDir
    Path dir;

    /** A real record with {@code extra} inserted as the first members of its requestParameters. */
    static String withRequestMembers(String record, String extra) {
        return record.replace("\"requestParameters\": {", "\"requestParameters\": {" + extra + ", ");
    }

    /** {@code n} small members: {"k000001": "xxxxxxxxxxxxxxxxxxxx", ...} without braces. */
    static String smallMembers(int n) {
        StringBuilder b = new StringBuilder(n * 32);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(String.format("\"k%06d\": \"xxxxxxxxxxxxxxxxxxxx\"", i));
        }
        return b.toString();
    }

    private Collecting read(TrailReader reader, Path f) throws IOException {
        Collecting sink = new Collecting();
        reader.read(f, f.getFileName().toString(), sink);
        return sink;
    }

    @Test
    void a_2_7_mb_record_of_many_small_fields_is_rejected_with_its_size_and_the_rest_is_read() throws IOException {
        String big = withRequestMembers(REAL.get(6), smallMembers(77_500));
        assertThat(big.length()).isBetween(2_700_000, 2_800_000);
        Path f = dir.resolve("big.ndjson");
        Files.write(f, List.of(REAL.get(5), big, REAL.get(7)));
        Collecting sink = read(new TrailReader(), f);
        assertThat(sink.eventIds()).containsExactly(eventId(REAL.get(5)), eventId(REAL.get(7)));
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.recordIndex()).isEqualTo(2);
            assertThat(r.field()).startsWith("requestParameters.k");
            assertThat(r.error())
                    .isEqualTo("record of " + big.getBytes(StandardCharsets.UTF_8).length
                            + " bytes exceeds the limit of 1048576 bytes (--max-record-bytes)");
            assertThat(new String(r.raw(), StandardCharsets.UTF_8))
                    .startsWith("{\"awsRegion\": ")
                    .hasSizeLessThanOrEqualTo(512);
        });
    }

    @Test
    void the_same_record_inside_a_gzip_records_array_rejects_only_itself() throws IOException {
        String big = withRequestMembers(REAL.get(6), smallMembers(77_500));
        Path f = Fixtures.recordsFile(dir, "big.json.gz", List.of(REAL.get(5), big, REAL.get(7)));
        Collecting sink = new Collecting();
        TrailReader.Result r = new TrailReader().read(f, "big.json.gz", sink);
        assertThat(sink.events).hasSize(2);
        assertThat(sink.rejections)
                .singleElement()
                .satisfies(x -> assertThat(x.error()).startsWith("record of 27"));
        assertThat(r.fileError()).isNull();
        assertThat(r.records()).isEqualTo(3);
    }

    @Test
    void a_record_of_exactly_the_limit_is_accepted_and_one_byte_more_is_rejected() throws IOException {
        ReadLimits limits = new ReadLimits(1 << 20, 65_536, 1 << 30, 100);
        String base = withRequestMembers(REAL.get(6), "\"pad\": \"\"");
        int padding = 65_536 - base.getBytes(StandardCharsets.UTF_8).length;
        String exact = base.replace("\"pad\": \"\"", "\"pad\": \"" + "p".repeat(padding) + "\"");
        String over = base.replace("\"pad\": \"\"", "\"pad\": \"" + "p".repeat(padding + 1) + "\"");
        assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize(65_536);
        Path f = dir.resolve("edge.ndjson");
        Files.write(f, List.of(exact, over, REAL.get(7)));
        Collecting sink = read(new TrailReader(limits), f);
        assertThat(sink.events).hasSize(2);
        assertThat(new String(sink.events.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo(exact);
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.recordIndex()).isEqualTo(2);
            // The last byte passes the limit: the field named is the one the record passed it after.
            assertThat(r.field()).isEqualTo("userIdentity");
            assertThat(r.error())
                    .isEqualTo("record of 65537 bytes exceeds the limit of 65536 bytes (--max-record-bytes)");
        });
    }

    @Test
    void an_oversize_top_level_field_that_is_never_decoded_is_named() throws IOException {
        StringBuilder tls = new StringBuilder("\"tlsDetails\": [");
        for (int i = 0; i < 60_000; i++) {
            tls.append(i == 0 ? "" : ",").append("{\"cipherSuite\": \"TLS_AES_128_GCM_SHA256\"}");
        }
        String big = REAL.get(6).replace("\"tlsDetails\": {", tls + "], \"tlsDetails2\": {");
        Path f = dir.resolve("tls.ndjson");
        Files.write(f, List.of(big, REAL.get(7)));
        Collecting sink = read(new TrailReader(), f);
        assertThat(sink.events).hasSize(1);
        assertThat(sink.rejections)
                .singleElement()
                .satisfies(r -> assertThat(r.field()).isEqualTo("tlsDetails"));
    }

    @Test
    void an_oversize_record_never_puts_a_secret_value_in_its_preview() throws IOException {
        String big = REAL.get(6)
                .replace(
                        "{\"awsRegion\": ",
                        "{\"requestParameters\": {\"SecretString\": \"hunter2value\"}, \"awsRegion\": ")
                .replace(
                        "\"requestParameters\": {\"secretId\"",
                        "\"other\": {" + smallMembers(50_000) + "}, \"requestParameters\": {\"secretId\"");
        Path f = dir.resolve("secret.ndjson");
        Files.write(f, List.of(big));
        Collecting sink = read(new TrailReader(), f);
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.error()).startsWith("record of ");
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo("{\"requestParameters\": {\"");
            assertThat(r.message()).doesNotContain("hunter2");
        });
    }

    @Test
    void an_oversize_record_of_another_service_is_skipped_like_any_other() throws IOException {
        String other =
                Fixtures.lines("stratus-red-team/all_other_events.ndjson").get(0);
        String big = other.replaceFirst(
                "^\\{", java.util.regex.Matcher.quoteReplacement("{\"pad\": {" + smallMembers(50_000) + "}, "));
        Path f = dir.resolve("noise.ndjson");
        Files.write(f, List.of(big, REAL.get(7)));
        Collecting sink = new Collecting();
        TrailReader.Result r = new TrailReader().read(f, "noise.ndjson", sink);
        assertThat(r.records()).isEqualTo(2);
        assertThat(sink.rejections).isEmpty();
        assertThat(sink.events).hasSize(1);
    }

    @Test
    void an_oversize_eventbridge_envelope_is_rejected() throws IOException {
        String envelope =
                "{\"version\": \"0\", \"detail-type\": \"AWS API Call via CloudTrail\", \"source\": \"aws.secretsmanager\", \"detail\": "
                        + withRequestMembers(REAL.get(6), smallMembers(50_000)) + "}";
        Path f = dir.resolve("eb.ndjson");
        Files.write(f, List.of(envelope, REAL.get(7)));
        Collecting sink = read(new TrailReader(), f);
        assertThat(sink.events).hasSize(1);
        assertThat(sink.rejections)
                .singleElement()
                .satisfies(r -> assertThat(r.field()).isEqualTo("detail"));
    }

    @Test
    void a_50_mb_string_in_a_projected_field_stops_its_record_at_the_parser_limit() throws IOException {
        String line = REAL.get(6);
        int cut = line.indexOf("\"userAgent\": \"") + "\"userAgent\": \"".length();
        Path f = dir.resolve("ua.ndjson");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(line.substring(0, cut).getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "u".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write((line.substring(cut) + "\n" + REAL.get(7) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        TrailReader reader = new TrailReader();
        Collecting sink = read(reader, f);
        assertThat(sink.events).hasSize(1);
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.field()).isEqualTo("userAgent");
            assertThat(r.error())
                    .startsWith("invalid JSON (line 1, column ")
                    .endsWith(": a string longer than the parser's limit");
        });
        assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(MemoryBoundIT.bound(ReadLimits.defaults()));
    }

    @Test
    void deeply_nested_request_parameters_reject_their_record_only() throws IOException {
        String deep = "{\"a\": ".repeat(5000) + "1" + "}".repeat(5000);
        String nested =
                REAL.get(6).replace("\"requestParameters\": {", "\"requestParameters\": {\"deep\": " + deep + ", ");
        Files.write(dir.resolve("deep.ndjson"), List.of(nested, REAL.get(7)));
        Collecting lines = read(new TrailReader(), dir.resolve("deep.ndjson"));
        assertThat(lines.events).hasSize(1);
        assertThat(lines.rejections)
                .singleElement()
                .satisfies(r -> assertThat(r.error()).endsWith(": nested too deeply"));

        List<String> docs = Fixtures.lines("awsdocs-aws-secrets-manager-docs/events.ndjson");
        String inRecords =
                docs.get(1).replace("\"requestParameters\": {", "\"requestParameters\": {\"deep\": " + deep + ", ");
        Path gz = Fixtures.recordsFile(dir, "deep.json.gz", List.of(docs.get(0), inRecords, docs.get(2)));
        Collecting records = new Collecting();
        TrailReader.Result r = new TrailReader().read(gz, "deep.json.gz", records);
        assertThat(records.events).hasSize(2);
        assertThat(records.rejections)
                .singleElement()
                .satisfies(x -> assertThat(x.recordIndex()).isEqualTo(2));
        assertThat(r.fileError()).isNull();
    }

    @Test
    void huge_exponents_and_long_numbers_are_handled_by_where_they_are() throws IOException {
        List<String> lines = List.of(
                withRequestMembers(REAL.get(5), "\"n\": 1e999999999"),
                withRequestMembers(REAL.get(6), "\"n\": " + "9".repeat(2000)),
                REAL.get(7).replaceFirst("\"eventTime\": \"[^\"]+\"", "\"eventTime\": 1e999999999"),
                REAL.get(8));
        Files.write(dir.resolve("numbers.ndjson"), lines);
        Collecting sink = read(new TrailReader(), dir.resolve("numbers.ndjson"));
        assertThat(sink.eventIds()).containsExactly(eventId(REAL.get(5)), eventId(REAL.get(8)));
        assertThat(sink.rejections)
                .extracting(Rejection::recordIndex, Rejection::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "requestParameters.n"),
                        org.assertj.core.groups.Tuple.tuple(3L, "eventTime"));
        assertThat(sink.rejections.get(0).error())
                .startsWith("invalid JSON (line 2, column ")
                .endsWith(": a number with too many digits");
        assertThat(sink.rejections.get(1).error()).isEqualTo("expected a string, found a number (Infinity)");
    }

    @Test
    void nul_bytes_reject_the_line_they_are_on() throws IOException {
        Path f = dir.resolve("nul.ndjson");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write((REAL.get(5) + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(new byte[4096]);
            out.write('\n');
            out.write(REAL.get(6).replace("stratus-red-team_", "nul\u0000").getBytes(StandardCharsets.UTF_8));
            out.write(('\n' + REAL.get(7) + '\n').getBytes(StandardCharsets.UTF_8));
        }
        Collecting sink = read(new TrailReader(), f);
        assertThat(sink.eventIds()).containsExactly(eventId(REAL.get(5)), eventId(REAL.get(7)));
        assertThat(sink.rejections).extracting(Rejection::recordIndex).containsExactly(2L, 3L);
        assertThat(sink.rejections.get(0).error())
                .isEqualTo("invalid JSON (line 2, column 2): a control character between values");
        assertThat(sink.rejections.get(1).error()).endsWith(": a control character inside a string");
        assertThat(sink.rejections.get(1).field()).isEqualTo("userAgent");
    }

    static String eventId(String line) {
        int at = line.indexOf("\"eventID\": \"") + "\"eventID\": \"".length();
        return line.substring(at, line.indexOf('"', at));
    }
}
