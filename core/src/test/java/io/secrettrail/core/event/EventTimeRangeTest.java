package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12, item 1: an eventTime that parses but lies outside what DuckDB's TIMESTAMP holds
 * stopped analytics ("long overflow"); it is rejected at ingest, naming file, record and field.
 */
class EventTimeRangeTest {
    @TempDir
    Path dir;

    /** A real Stratus Red Team GetSecretValue between two untouched ones, its eventTime replaced. */
    private Collecting readWithTime(String time) throws IOException {
        List<String> real = Fixtures.lines("stratus-red-team/events.ndjson").subList(5, 8);
        String middle = real.get(1).replaceFirst("\"eventTime\": \"[^\"]+\"", "\"eventTime\": \"" + time + "\"");
        Path f = dir.resolve("times.ndjson");
        Files.write(f, List.of(real.get(0), middle, real.get(2)));
        Collecting sink = new Collecting();
        new TrailReader().read(f, "trail/times.ndjson", sink);
        return sink;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "+294248-01-01T00:00:00Z   | outside the accepted range",
                "+294247-01-10T04:00:54Z   | outside the accepted range",
                "+10000-01-01T00:00:00Z    | outside the accepted range",
                "+1000000000-12-31T23:59:59Z | outside the accepted range",
                "0000-01-01T00:00:00Z      | outside the accepted range",
                "-0001-01-01T00:00:00Z     | outside the accepted range",
                "-290309-01-01T00:00:00Z   | outside the accepted range",
                "1969-12-31T23:59:59Z      | outside the accepted range",
                "+294248-01-01T00:00:00    | outside the accepted range",
                "+99999-01-01T00:00:00+01:00 | outside the accepted range",
                "+99999-01-01              | expected an ISO-8601 time",
                "+1000000001-01-01T00:00:00Z | expected an ISO-8601 time",
                "294248-01-01T00:00:00Z    | expected an ISO-8601 time",
                "2024-02-30T00:00:00Z      | expected an ISO-8601 time",
                "2024-07-31T12:29:17+25:00 | expected an ISO-8601 time",
                "2024-07-31T25:00:00Z      | expected an ISO-8601 time",
                "yesterday                 | expected an ISO-8601 time",
            })
    void a_time_outside_the_storable_range_is_rejected_naming_the_field(String time, String error) throws IOException {
        Collecting sink = readWithTime(time);
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("trail/times.ndjson");
            assertThat(r.recordIndex()).isEqualTo(2);
            assertThat(r.field()).isEqualTo("eventTime");
            assertThat(r.error()).startsWith(error);
        });
        assertThat(sink.events).hasSize(2);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1970-01-01T00:00:00Z          | 1970-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z   | 9999-12-31T23:59:59.999999Z",
                "2024-07-31T12:29:17           | 2024-07-31T12:29:17Z",
                "2024-07-31 12:29:17.000       | 2024-07-31T12:29:17Z",
                "2024-07-31T12:29:17z          | 2024-07-31T12:29:17Z",
                "2024-07-31T05:29:17-07:00     | 2024-07-31T12:29:17Z",
                "2024-07-31                    | 2024-07-31T00:00:00Z",
            })
    void a_time_inside_the_range_is_accepted_in_any_shape_aws_writes(String time, String stored) throws IOException {
        Collecting sink = readWithTime(time);
        assertThat(sink.rejections).isEmpty();
        assertThat(sink.events).hasSize(3);
        assertThat(sink.events.get(1).eventTime()).hasToString(stored);
    }
}
