import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Rejection;
import io.secrettrail.core.event.TrailReader;

/**
 * What bad records cost the reader (a benchmark, not a test). For each size, two gzip CloudTrail
 * files of that many MB of JSON, in the same run: one of valid records only, one in which every
 * other record is broken (a colon missing after eventName, so each is a syntax error); each read
 * with one TrailReader, best of at least three after a warm-up read. A reader that reopened the file after
 * each bad record cost time quadratic in the file's size; run this with that build's classes
 * first on the classpath to compare (bench/RESULTS.md says how).
 * Usage: java -cp 'core/target/classes:app/target/lib/*' bench/BadRecordsBench.java DIR [MB...]
 */
public class BadRecordsBench {
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        String base = Files.readAllLines(Path.of("core/src/test/resources/cloudtrail/stratus-red-team/events.ndjson")).stream()
                .filter(l -> l.contains("\"GetSecretValue\"")).findFirst().orElseThrow();
        // Warm the JIT on both kinds of file first, so the small sizes measure the reader, not the compiler.
        for (boolean bad : new boolean[] {false, true}) {
            Path warm = dir.resolve("warm-up.json.gz");
            write(warm, base, 4_000_000L, bad);
            for (int run = 0; run < 5; run++) {
                new TrailReader().read(warm, "warm-up", new Counting());
            }
        }
        System.out.printf(Locale.ROOT, "%-6s %-12s %8s %9s %9s %8s %11s %9s%n",
                "MB", "file", "records", "rejected", "gzip MB", "seconds", "records/s", "MB/s");
        for (int i = 1; i < Math.max(2, args.length); i++) {
            int mb = args.length > i ? Integer.parseInt(args[i]) : 50;
            double valid = 0;
            for (boolean bad : new boolean[] {false, true}) {
                Path f = dir.resolve((bad ? "half-bad-" : "valid-") + mb + "mb.json.gz");
                long records = write(f, base, mb * 1_000_000L, bad);
                double best = Double.MAX_VALUE;
                TrailReader.Result r = null;
                for (int run = 0; run <= Math.max(3, Math.min(10, 100 / mb)); run++) {
                    TrailReader reader = new TrailReader();
                    long t0 = System.nanoTime();
                    r = reader.read(f, f.getFileName().toString(), new Counting());
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (run > 0 || s > 20) {
                        best = Math.min(best, s);
                    }
                    if (s > 20) {
                        break; // a read this slow is warm enough, and figure enough
                    }
                }
                if (r.records() != records) {
                    throw new IllegalStateException(f + ": read " + r.records() + " records of " + records);
                }
                double rate = records / Math.max(best, 1e-9);
                System.out.printf(Locale.ROOT, "%-6d %-12s %8d %9d %9.1f %8.2f %11s %9.1f%s%n", mb, bad ? "half bad" : "valid",
                        r.records(), r.rejected(), Files.size(f) / 1e6, best, String.format(Locale.ROOT, "%,.0f", rate), mb / best,
                        bad ? String.format(Locale.ROOT, "   (%.2fx the valid file's records/s)", rate / valid) : "");
                valid = rate;
            }
        }
    }

    /** A {"Records":[...]} gzip of about {@code bytes} bytes of JSON; every other record broken when {@code bad}. */
    static long write(Path f, String base, long bytes, boolean bad) throws IOException {
        ObjectNode r = (ObjectNode) JSON.readTree(base);
        ObjectNode first = JSON.createObjectNode();
        first.set("eventVersion", r.get("eventVersion")); // CloudTrail writes it first: the reader resyncs on it
        first.setAll(r);
        long n = 0;
        long written = 0;
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
            out.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
            while (written < bytes) {
                first.put("eventID", UUID.nameUUIDFromBytes(("bench#" + n).getBytes(StandardCharsets.UTF_8)).toString());
                String text = first.toString();
                if (bad && n % 2 == 1) {
                    text = text.replace("\"eventName\":", "\"eventName\" ");
                }
                byte[] b = ((n > 0 ? "," : "") + text).getBytes(StandardCharsets.UTF_8);
                out.write(b);
                written += b.length;
                n++;
            }
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        }
        return n;
    }

    static final class Counting implements TrailReader.Sink {
        long events;
        long rejections;

        @Override
        public void accept(CloudTrailEvent event, long recordIndex) {
            events++;
        }

        @Override
        public void reject(Rejection rejection) {
            rejections++;
        }
    }
}
