package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 ("no record can stop or wedge ingest"): after a syntax error the reader used to open
 * the file again and decompress it from the start to reach the next record, so a file of many
 * bad records cost time quadratic in its size (a 1 MB gzip of tens of thousands of broken records
 * wedged ingest for hours). It now resumes in the same stream: the content is opened once and
 * each byte decompressed once, however many records are bad, and what the parsers go through
 * stays linear in the file's size even when broken records nest the ones after them. Counted,
 * not timed: the figures are in bench/BadRecordsBench.java.
 */
class ResyncLinearityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = Fixtures.lines("stratus-red-team/events.ndjson").stream()
            .filter(l -> l.contains("\"GetSecretValue\""))
            .findFirst()
            .orElseThrow();

    /** The content, counting how often it is opened and how many of its bytes are read. */
    static final class Counted implements TrailReader.Content {
        final byte[] bytes;
        int opens;
        long read;

        Counted(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public InputStream open() {
            opens++;
            return new FilterInputStream(new ByteArrayInputStream(bytes)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    read += b < 0 ? 0 : 1;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    read += Math.max(0, n);
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long s = super.skip(n);
                    read += Math.max(0, s);
                    return s;
                }
            };
        }
    }

    /** The real record with eventVersion first (as CloudTrail writes it) and an eventID of its own. */
    static String valid(long i) {
        ObjectNode r = (ObjectNode) JSON.valueToTree(parse(MutatedTrailPropertiesTest.eventVersionFirst(BASE)));
        r.put("eventID", id(i));
        return r.toString();
    }

    /** The same record with a colon missing after eventName: a syntax error inside it. */
    static String broken(long i) {
        String v = valid(i);
        assertThat(v).contains("\"eventName\":");
        return v.replace("\"eventName\":", "\"eventName\" ");
    }

    static String id(long i) {
        return UUID.nameUUIDFromBytes(("resync#" + i).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static Object parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_records_file_with_20000_bad_records_is_opened_once_and_decompressed_once() throws IOException {
        int n = 40_000; // every other record broken, the first one too (the last one whole: it closes the array)
        List<String> records = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            records.add(i % 2 == 1 ? broken(i) : valid(i));
        }
        byte[] plain = ("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8);
        Counted gz = new Counted(MutatedTrailPropertiesTest.gzip(plain));

        TrailReader reader = new TrailReader();
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(gz, "many-bad.json.gz", sink);

        assertThat(r)
                .usingRecursiveComparison()
                .ignoringFields("latestEventTime") // the good records' time, not what this test is about
                .isEqualTo(new TrailReader.Result(n, n / 2, n / 2, null));
        assertThat(sink.eventIds())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n)
                        .filter(i -> i % 2 == 0)
                        .mapToObj(ResyncLinearityTest::id)
                        .toList());
        assertThat(sink.rejections)
                .extracting(Rejection::recordIndex)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n)
                        .filter(i -> i % 2 == 1)
                        .boxed()
                        .toList());
        assertThat(sink.rejections).allSatisfy(x -> assertThat(x.field()).isEqualTo("eventName"));
        assertThat(gz.opens).isEqualTo(1);
        assertThat(gz.read).isLessThanOrEqualTo((long) (1.1 * gz.bytes.length));
        assertThat(reader.lastDecompressedBytes()).isLessThanOrEqualTo((long) (1.1 * plain.length));
        assertThat(reader.lastParsedBytes()).isLessThanOrEqualTo((long) (1.1 * plain.length));
    }

    @Test
    void an_ndjson_file_with_20000_bad_lines_is_opened_once_and_read_once() throws IOException {
        int n = 40_000;
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            text.append(i % 2 == 0 ? broken(i) : valid(i)).append('\n');
        }
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        Counted file = new Counted(plain);

        TrailReader reader = new TrailReader();
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(file, "many-bad.ndjson", sink);

        assertThat(r)
                .usingRecursiveComparison()
                .ignoringFields("latestEventTime") // the good records' time, not what this test is about
                .isEqualTo(new TrailReader.Result(n, n / 2, n / 2, null));
        assertThat(sink.events).hasSize(n / 2);
        assertThat(sink.rejections)
                .extracting(Rejection::recordIndex)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n)
                        .filter(i -> i % 2 == 0)
                        .boxed()
                        .toList());
        // Lines are still counted across the resyncs: record i is on line i.
        assertThat(sink.rejections.get(sink.rejections.size() - 1).error())
                .startsWith("invalid JSON (line " + n + ", column ");
        assertThat(file.opens).isEqualTo(1);
        assertThat(file.read).isLessThanOrEqualTo((long) (1.1 * plain.length));
        assertThat(reader.lastParsedBytes()).isLessThanOrEqualTo((long) (1.1 * plain.length));
    }

    @Test
    void a_bad_record_whose_error_shows_in_the_next_one_still_lets_the_next_one_be_read() throws IOException {
        // A quote deleted at the end of a value: the string runs into the next record, whose start
        // the reader must go back to (it was already passed) without reopening the file.
        List<String> records = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) {
            String v = valid(i);
            records.add(i % 2 == 0 ? v.substring(0, v.length() - 2) + v.substring(v.length() - 1) : v);
        }
        byte[] plain = ("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8);
        Counted file = new Counted(plain);
        Collecting sink = new Collecting();
        TrailReader reader = new TrailReader();
        reader.read(file, "runs-on.json", sink);
        assertThat(sink.eventIds())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2_000)
                        .filter(i -> i % 2 == 1)
                        .mapToObj(ResyncLinearityTest::id)
                        .toList());
        assertThat(file.opens).isEqualTo(1);
        assertThat(reader.lastParsedBytes()).isLessThanOrEqualTo(2L * plain.length);
    }

    @Test
    void broken_records_nesting_the_next_ones_cost_linear_work_not_work_per_nesting_level() throws IOException {
        // Each record opens an array it never closes, so each swallows all that follows, and
        // its error (nesting too deep) is found hundreds of records later. Resuming at the next
        // record every time would parse each byte once per enclosing record; past one file's
        // worth of re-reading, the reader resumes past the error instead.
        ReadLimits limits = new ReadLimits(1 << 10, 64 << 10, 1L << 30, 100);
        String chain =
                "{\"eventVersion\":\"1.08\",\"eventSource\":\"secretsmanager.amazonaws.com\",\"x\":[".repeat(20_000);
        String head = String.join(",", valid(1), valid(2), valid(3));
        byte[] plain = ("{\"Records\":[" + head + "," + chain + "]}").getBytes(StandardCharsets.UTF_8);
        Counted file = new Counted(plain);
        TrailReader reader = new TrailReader(limits);
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(file, "nested.json", sink);

        assertThat(sink.eventIds()).containsExactly(id(1), id(2), id(3));
        assertThat(r.rejected()).isPositive();
        assertThat(sink.rejections).allSatisfy(x -> assertThat(x.error()).startsWith("invalid JSON (line 1, column "));
        assertThat(file.opens).isEqualTo(1);
        assertThat(reader.lastDecompressedBytes()).isEqualTo(plain.length);
        // Without the bound: over 500 times the file (and 20,001 rejections instead of 73).
        assertThat(reader.lastParsedBytes()).isLessThanOrEqualTo(3L * plain.length + limits.maxRecordBytes());
    }

    @Test
    void gzip_that_breaks_while_looking_for_the_next_record_is_reported_as_truncated() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            text.append(i == 150 ? broken(i) : valid(i)).append('\n');
        }
        byte[] gz = MutatedTrailPropertiesTest.gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        // Cut inside record 150, after its error: the cut is found while looking for line 151.
        int errorAt = text.indexOf("\"eventName\" ");
        byte[] cut = cutAfterPlain(gz, errorAt + 200);
        Collecting sink = new Collecting();
        TrailReader.Result r = new TrailReader().read(new Counted(cut), "cut.ndjson.gz", sink);
        assertThat(sink.events).hasSize(149);
        assertThat(r.fileError()).startsWith("truncated or corrupt gzip after record 150");
        assertThat(sink.rejections).extracting(Rejection::recordIndex).containsExactly(150L, 151L);
    }

    /** The shortest prefix of the gzip that decompresses to at least {@code plainBytes} bytes (and is then cut). */
    private static byte[] cutAfterPlain(byte[] gz, int plainBytes) {
        int lo = 1;
        int hi = gz.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (plainOf(java.util.Arrays.copyOf(gz, mid)) >= plainBytes) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return java.util.Arrays.copyOf(gz, lo);
    }

    private static int plainOf(byte[] cut) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(cut))) {
            in.transferTo(out);
        } catch (IOException expected) {
            // truncated: what came out before the cut is what counts
        }
        return out.size();
    }
}
