package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 3: a 1 MB gzip holding 1 GB of whitespace between two records made the record
 * buffer grow until OutOfMemoryError. Between records only the parser's read-ahead is kept, a
 * record past its limit stops being kept, and a file past --max-file-bytes or --max-file-ratio
 * is read no further, naming the file. Bombs are streamed to disk, never held in the test.
 */
class MemoryBoundIT {
    static final List<String> REAL = Fixtures.lines("stratus-red-team/events.ndjson");
    static final byte[] SPACES = " ".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** The most one reader's record buffer may hold: one record plus read-ahead. */
    static int bound(ReadLimits limits) {
        return limits.maxRecordBytes() + 3 * RecordingInputStream.READ_AHEAD;
    }

    /** Writes head, then {@code fill} bytes of {@code pattern} repeated, then tail; gzip when the name ends in .gz. */
    private Path bomb(String name, String head, long fill, byte[] pattern, String tail) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream raw = Files.newOutputStream(f);
                OutputStream out = name.endsWith(".gz")
                        ? new GZIPOutputStream(raw, 1 << 16) {
                            {
                                def.setLevel(Deflater.BEST_COMPRESSION);
                            }
                        }
                        : raw) {
            out.write(head.getBytes(StandardCharsets.UTF_8));
            for (long left = fill; left > 0; left -= pattern.length) {
                out.write(pattern, 0, (int) Math.min(pattern.length, left));
            }
            out.write(tail.getBytes(StandardCharsets.UTF_8));
        }
        return f;
    }

    @Test
    void a_1_gb_whitespace_gzip_bomb_stops_at_the_ratio_limit_naming_the_file() throws IOException {
        Path f = bomb("bomb.json.gz", REAL.get(5) + "\n", 1L << 30, SPACES, REAL.get(6) + "\n");
        assertThat(Files.size(f)).isLessThan(2L << 20);
        TrailReader reader = new TrailReader();
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(f, "trail/bomb.json.gz", sink);
        assertThat(sink.events).hasSize(1);
        assertThat(r.fileError())
                .startsWith("gzip expands more than 100 times")
                .contains("--max-file-ratio")
                .endsWith("(stopped after record 1)");
        assertThat(sink.rejections).singleElement().satisfies(x -> {
            assertThat(x.recordIndex()).isEqualTo(2);
            assertThat(x.message()).startsWith("trail/bomb.json.gz, record 2: gzip expands more than 100 times");
        });
        assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(bound(reader.limits()));
    }

    @Test
    void whitespace_between_records_is_not_kept_whatever_its_size() throws IOException {
        // Ratio and size guards off: this is about the record buffer alone.
        ReadLimits limits = new ReadLimits(1 << 20, 1 << 20, Long.MAX_VALUE, Integer.MAX_VALUE);
        TrailReader reader = new TrailReader(limits);
        Path gz = bomb("between.json.gz", REAL.get(5) + "\n", 256L << 20, SPACES, REAL.get(6) + "\n");
        Collecting a = new Collecting();
        assertThat(reader.read(gz, "between.json.gz", a).fileError()).isNull();
        assertThat(a.events).hasSize(2);
        assertThat(a.rejections).isEmpty();
        assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(bound(limits));

        List<String> docs = Fixtures.lines("awsdocs-aws-secrets-manager-docs/events.ndjson");
        Path records = bomb(
                "records.json",
                "{\"Records\":" + " ".repeat(1000),
                64L << 20,
                SPACES,
                "[" + docs.get(0) + "," + " ".repeat(100_000) + docs.get(1) + "]" + " ".repeat(100_000)
                        + ", \"x\": 1}");
        Collecting b = new Collecting();
        TrailReader fresh = new TrailReader(limits);
        assertThat(fresh.read(records, "records.json", b).fileError()).isNull();
        assertThat(b.events).hasSize(2);
        assertThat(fresh.bufferCapacity()).isLessThanOrEqualTo(bound(limits));
    }

    @Test
    void whitespace_inside_a_record_makes_it_oversize_without_keeping_it() throws IOException {
        ReadLimits limits = new ReadLimits(1 << 20, 1 << 20, Long.MAX_VALUE, Integer.MAX_VALUE);
        TrailReader reader = new TrailReader(limits);
        String record = REAL.get(5);
        int cut = record.indexOf("\"eventTime\"");
        Path f = bomb(
                "inside.ndjson",
                record.substring(0, cut),
                64L << 20,
                SPACES,
                record.substring(cut) + "\n" + REAL.get(6) + "\n");
        Collecting sink = new Collecting();
        reader.read(f, "inside.ndjson", sink);
        assertThat(sink.events).hasSize(1);
        assertThat(sink.rejections).singleElement().satisfies(x -> {
            assertThat(x.recordIndex()).isEqualTo(1);
            assertThat(x.error())
                    .isEqualTo("record of " + (record.length() + (64L << 20))
                            + " bytes exceeds the limit of 1048576 bytes (--max-record-bytes)");
            assertThat(x.field()).isEqualTo("eventSource");
        });
        assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(bound(limits));
    }

    @Test
    void a_100_mb_string_in_a_skipped_field_is_rejected_without_keeping_it() throws IOException {
        TrailReader reader = new TrailReader();
        String record = REAL.get(5);
        int cut = record.indexOf("\"tlsDetails\": {") + "\"tlsDetails\": {".length();
        byte[] chunk = new byte[1 << 16];
        Arrays.fill(chunk, (byte) 'z');
        Path f = bomb(
                "string.json.gz",
                record.substring(0, cut) + "\"pad\": \"",
                100L << 20,
                chunk,
                "\", " + record.substring(cut) + "\n" + REAL.get(6) + "\n");
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(f, "string.json.gz", sink);
        assertThat(r.fileError()).startsWith("gzip expands more than 100 times");
        assertThat(sink.events).isEmpty();
        // With the ratio guard off, the record itself is rejected and the next one read.
        TrailReader lenient = new TrailReader(new ReadLimits(1 << 20, 1 << 20, Long.MAX_VALUE, Integer.MAX_VALUE));
        Collecting all = new Collecting();
        assertThat(lenient.read(f, "string.json.gz", all).fileError()).isNull();
        assertThat(all.events).hasSize(1);
        assertThat(all.rejections)
                .singleElement()
                .satisfies(x -> assertThat(x.field()).isEqualTo("tlsDetails"));
        assertThat(lenient.bufferCapacity()).isLessThanOrEqualTo(bound(lenient.limits()));
    }

    @Test
    void a_plain_file_past_max_file_bytes_is_read_no_further() throws IOException {
        ReadLimits limits = new ReadLimits(1 << 20, 1 << 20, 4L << 20, 100);
        Path f = bomb("big.ndjson", REAL.get(5) + "\n" + REAL.get(6) + "\n", 8L << 20, SPACES, REAL.get(7) + "\n");
        Collecting sink = new Collecting();
        TrailReader.Result r = new TrailReader(limits).read(f, "big.ndjson", sink);
        assertThat(sink.events).hasSize(2);
        assertThat(r.fileError())
                .isEqualTo("decompressed size exceeds --max-file-bytes 4194304; the rest of the file is not read"
                        + " (stopped after record 2)");
        assertThat(r.rejected()).isEqualTo(1);
    }

    @Test
    void a_small_gzip_with_a_high_ratio_is_read_whole() throws IOException {
        // Below the 16 MiB floor, ratio is not judged: 10 MB of whitespace behind a record is fine.
        Path f = bomb("small.json.gz", REAL.get(5) + "\n", 10L << 20, SPACES, REAL.get(6) + "\n");
        Collecting sink = new Collecting();
        assertThat(new TrailReader().read(f, "small.json.gz", sink).fileError()).isNull();
        assertThat(sink.events).hasSize(2);
    }

    @Test
    void a_file_of_nul_bytes_is_one_rejection_and_bounded() throws IOException {
        TrailReader reader = new TrailReader();
        Path f = bomb("nul.json.gz", "", 8L << 20, new byte[1 << 16], "");
        Collecting sink = new Collecting();
        TrailReader.Result r = reader.read(f, "nul.json.gz", sink);
        assertThat(r.records()).isEqualTo(1);
        assertThat(sink.rejections)
                .singleElement()
                .satisfies(
                        x -> assertThat(x.error())
                                .isEqualTo(
                                        "invalid JSON (line 1, column 1): not UTF-8 text (read as UTF-16 or UTF-32: a NUL byte where a record starts)"));
        assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(bound(reader.limits()));
    }
}
