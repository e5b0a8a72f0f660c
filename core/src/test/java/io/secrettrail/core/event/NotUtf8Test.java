package io.secrettrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 (a hostile review of its fixes): Jackson guesses UTF-16/32 from a parser's first bytes,
 * so a NUL as the second byte of a file or of the line read after a syntax error gave a parser
 * without byte offsets. On the line after an error the reader then resumed at the same place
 * forever (57 million rejections of one line); at a file's start it threw out of the read and the
 * watched batch was re-read on every poll. Such text is now one rejected record, and reading goes on.
 */
class NotUtf8Test {
    @TempDir
    Path dir;

    private final TrailReader reader = new TrailReader();

    private TrailReader.Result read(String name, byte[] content, Collecting sink) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return reader.read(f, name, sink);
    }

    private static List<String> good() throws IOException {
        return Fixtures.lines("stratus-red-team/events.ndjson").subList(0, 2);
    }

    @Test
    void a_nul_as_second_byte_of_the_line_after_an_error_is_one_rejection_and_reading_goes_on() throws IOException {
        List<String> g = good();
        String text = g.get(0) + "\n{oops\n{\u0000\n" + g.get(1) + "\n";
        Collecting sink = new Collecting();
        TrailReader.Result r = read("nul.ndjson", text.getBytes(StandardCharsets.UTF_8), sink);
        assertThat(sink.events).hasSize(2);
        assertThat(sink.rejections).hasSize(2);
        assertThat(sink.rejections.get(1).error()).contains("not UTF-8 text");
        assertThat(r.records()).isEqualTo(4);
    }

    @Test
    void a_file_starting_with_a_brace_and_a_nul_is_rejected_not_thrown() throws IOException {
        List<String> g = good();
        String text = "{\u0000\"eventVersion\":\"1\"}\n" + g.get(0) + "\n";
        Collecting sink = new Collecting();
        TrailReader.Result r = read("start.ndjson", text.getBytes(StandardCharsets.UTF_8), sink);
        assertThat(sink.rejections).isNotEmpty();
        assertThat(sink.rejections.get(0).error()).contains("not UTF-8 text");
        assertThat(sink.events).hasSize(1);
        assertThat(r.records()).isEqualTo(2);
    }

    @Test
    void utf16_and_utf32_trails_are_rejected_with_a_reason_and_never_throw() throws IOException {
        String text = "{\"Records\":[" + String.join(",", good()) + "]}";
        for (String cs : List.of("UTF-16LE", "UTF-16BE", "UTF-32BE")) {
            Collecting sink = new Collecting();
            read("wide-" + cs + ".json", text.getBytes(Charset.forName(cs)), sink);
            assertThat(sink.events).as(cs).isEmpty();
            assertThat(sink.rejections).as(cs).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        }
    }
}
