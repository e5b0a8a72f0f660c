package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrettrail.core.secret.InventoryReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12, item 7: Jackson's parse errors quote the offending token, so an unquoted secret value
 * in malformed JSON reached the log and the dead-letter header. Errors now name file, record,
 * line/column and field only.
 */
class ParseErrorSecrecyTest {
    static final String SECRET = "hunter2secretXYZ";

    @TempDir
    Path dir;

    /** A real Stratus Red Team PutSecretValue-like record: its requestParameters replaced by the hostile text. */
    static String withRequest(String request) {
        String real = Fixtures.lines("stratus-red-team/events.ndjson").get(6);
        return real.replaceFirst(
                "\"requestParameters\": \\{[^}]*\\}",
                java.util.regex.Matcher.quoteReplacement("\"requestParameters\": " + request));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "unquoted value          | {\"secretString\": " + SECRET
                        + "}                 | an unquoted word where a value belongs | requestParameters.secretString",
                "unquoted, no brace      | {\"secretString\": " + SECRET
                        + "                  | an unquoted word where a value belongs | requestParameters.secretString",
                "true-like prefix        | {\"secretString\": tru" + SECRET
                        + "}              | an unquoted word where a value belongs | requestParameters.secretString",
                "number-like prefix      | {\"secretString\": 12" + SECRET
                        + "}               | an unexpected character                | requestParameters.secretString",
                "bad escape after it     | {\"secretString\": \"" + SECRET
                        + "\\q\"}          | an invalid escape in a string          | requestParameters.secretString",
                "unquoted field name     | {" + SECRET
                        + ": 1}                                | an unexpected character where a field name belongs | requestParameters",
                "single quotes           | {\"secretString\": '" + SECRET
                        + "'}               | an unexpected character                | requestParameters.secretString",
                "value after comma       | {\"secretString\": \"x\", " + SECRET
                        + "}          | an unexpected character where a field name belongs | requestParameters.secretString",
                "nested in an array      | {\"list\": [1, " + SECRET
                        + "]}                    | an unquoted word where a value belongs | requestParameters.list[1]",
                "control char in string  | {\"secretString\": \"" + SECRET
                        + "\u0001\"}       | a control character inside a string    | requestParameters.secretString",
            })
    void a_malformed_record_is_reported_by_location_without_its_tokens(
            String name, String request, String kind, String field) throws IOException {
        List<String> lines =
                new ArrayList<>(Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 3));
        lines.set(1, withRequest(request));
        Path f = dir.resolve("bad.ndjson");
        Files.write(f, lines);
        Collecting sink = new Collecting();
        new TrailReader().read(f, "trail/bad.ndjson", sink);
        assertThat(sink.events).hasSize(2);
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertNoSecret(r);
            assertThat(r.recordIndex()).isEqualTo(2);
            assertThat(r.error()).startsWith("invalid JSON (line 2, column ").endsWith(": " + kind);
            assertThat(r.field()).isEqualTo(field);
        });
    }

    @Test
    void a_bare_secret_on_its_own_line_and_in_a_records_array_is_not_quoted() throws IOException {
        List<String> real = Fixtures.lines("awsdocs-aws-secrets-manager-docs/events.ndjson");
        Path lines = dir.resolve("bare.ndjson");
        Files.write(lines, List.of(real.get(0), SECRET, real.get(1), "\"" + SECRET, SECRET + "}"));
        Collecting a = new Collecting();
        new TrailReader().read(lines, "bare.ndjson", a);
        assertThat(a.events).hasSize(2);
        assertThat(a.rejections)
                .as(a.rejections.toString())
                .hasSize(3)
                .allSatisfy(ParseErrorSecrecyTest::assertNoSecret);

        List<String> records = new ArrayList<>(real);
        records.set(
                2,
                records.get(2)
                        .replaceFirst(
                                "\"requestParameters\": \\{",
                                "\"requestParameters\": {\"secretString\": " + SECRET + ","));
        Path gz = Fixtures.recordsFile(dir, "mid.json.gz", records);
        Collecting b = new Collecting();
        TrailReader.Result r = new TrailReader().read(gz, "mid.json.gz", b);
        assertThat(b.events).hasSize(real.size() - 1);
        assertThat(b.rejections).singleElement().satisfies(x -> {
            assertNoSecret(x);
            assertThat(x.recordIndex()).isEqualTo(3);
            assertThat(x.field()).isEqualTo("requestParameters.secretString");
        });
        assertThat(r.fileError()).isNull();
    }

    @Test
    void invalid_utf8_inside_a_secret_value_is_reported_without_the_value() throws IOException {
        List<String> real = Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write((real.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
        String bad = withRequest("{\"secretString\": \"" + SECRET + "\u00ff\u00fe\"}");
        bytes.write(bad.getBytes(StandardCharsets.ISO_8859_1));
        bytes.write(("\n" + real.get(2) + "\n").getBytes(StandardCharsets.UTF_8));
        Collecting sink = new Collecting();
        new TrailReader().read(bytes.toByteArray(), "utf8.ndjson", sink);
        assertThat(sink.events).hasSize(2);
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertNoSecret(r);
            assertThat(r.error()).contains("not UTF-8");
        });
    }

    @Test
    void a_truncated_gzip_inside_a_secret_value_is_reported_without_it() throws IOException {
        List<String> real = Fixtures.lines("awsdocs-aws-secrets-manager-docs/events.ndjson");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(raw)) {
            out.write(("{\"Records\":[" + real.get(0)
                            + ",{\"eventVersion\":\"1.08\",\"requestParameters\":{\"secretString\":\""
                            + SECRET.repeat(2000))
                    .getBytes(StandardCharsets.UTF_8));
        }
        byte[] gz = raw.toByteArray();
        Collecting sink = new Collecting();
        TrailReader.Result r = new TrailReader().read(java.util.Arrays.copyOf(gz, gz.length - 12), "cut.json.gz", sink);
        assertThat(sink.events).hasSize(1);
        assertThat(sink.rejections).isNotEmpty().allSatisfy(ParseErrorSecrecyTest::assertNoSecret);
        assertThat(r.fileError()).doesNotContain(SECRET);
    }

    @Test
    void a_malformed_inventory_is_reported_without_its_tokens() throws IOException {
        Path f = dir.resolve("inventory.json");
        Files.writeString(
                f,
                "{\"SecretList\":[{\"ARN\":\"arn:aws:secretsmanager:us-east-1:111111111111:secret:a-AbC123\","
                        + "\"SecretString\": " + SECRET + "}]}");
        List<Rejection> rejects = new ArrayList<>();
        new InventoryReader().read(f, "inventory.json", e -> {}, rejects::add);
        assertThat(rejects).singleElement().satisfies(r -> {
            assertNoSecret(r);
            assertThat(r.error())
                    .startsWith("invalid JSON (line 1, column ")
                    .endsWith("): an unquoted word where a value belongs");
        });
    }

    @Test
    void a_file_or_field_name_with_control_characters_cannot_forge_a_log_line() {
        Rejection r = new Rejection("trail/a\nWARN fake.json", 1, "x\u202Ey", "missing", new byte[0]);
        assertThat(r.message()).isEqualTo("trail/a\\u000AWARN fake.json, record 1, field x\\u202Ey: missing");
    }

    static void assertNoSecret(Rejection r) {
        assertThat(r.message()).doesNotContain(SECRET).doesNotContain("hunter2");
        assertThat(String.valueOf(r.field())).doesNotContain("hunter2");
        assertThat(new String(r.raw(), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    }
}
