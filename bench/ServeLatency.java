import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * What an on-call engineer feels from `serve` (a benchmark, not a test): the time from a trail file landing in
 * a watched directory to its alert's webhook arriving. Usage (from the project root, after a build):
 *   java -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/ServeLatency.java WORKDIR [FILES] [BACKGROUND]
 * Starts `./secrettrail serve --kafka embedded --watch WORKDIR/watch` as a child process, with one generic,
 * signed webhook for the secret-deleted rule pointing at a receiver in this JVM. Optionally first drops a
 * BACKGROUND trail directory (e.g. a generated trail, default none) so the store is not empty. Then drops FILES
 * (default 20) CloudTrail files one by one, each holding one DeleteSecret of a new secret, written aside and
 * moved in atomically; the clock starts at the move and stops when the webhook naming that secret arrives.
 * Prints p50/p95/max of those latencies and the work directory's size on disk (DuckDB file, Kafka data).
 */
public class ServeLatency {
    static final Map<String, Long> arrived = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path background = args.length > 2 ? Path.of(args[2]) : null;
        Path watch = work.resolve("watch");
        Files.createDirectories(watch);
        HttpServer hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", ex -> {
            long now = System.nanoTime();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (int i = 0; i < files; i++) {
                if (body.contains(secret(i))) {
                    arrived.putIfAbsent(secret(i), now);
                }
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hooks.start();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = work.resolve("bench.properties");
        Files.writeString(config, String.join("\n",
                "webhook.bench.url=http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook",
                "webhook.bench.format=generic",
                "webhook.bench.secret=bench-latency-signing-key",
                "webhook.bench.rules=secret-deleted",
                "webhook.bench.minSeverity=low",
                ""));
        if (background != null) {
            copyTree(background, watch.resolve("background"));
        }
        ProcessBuilder pb = new ProcessBuilder("./secrettrail", "serve", "--kafka", "embedded", "--work-dir",
                        work.resolve("state").toString(), "--watch", watch.toString(), "--port", Integer.toString(port),
                        "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("serve.log").toFile());
        Process serve = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long began = System.nanoTime();
            while (!ready(http, port)) {
                if (!serve.isAlive() || System.nanoTime() - began > 600e9) {
                    throw new IllegalStateException("serve did not become ready; see " + work.resolve("serve.log"));
                }
                Thread.sleep(200);
            }
            System.err.printf(Locale.ROOT, "serve ready after %.1f s%n", (System.nanoTime() - began) / 1e9);
            // Let the background trail (if any) be consumed and the first reports built before timing.
            Thread.sleep(background == null ? 5_000 : 30_000);
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                String secret = secret(i);
                Path tmp = work.resolve("file-" + i + ".tmp");
                Instant t = Instant.now();
                write(tmp, t, secret, i);
                Path into = watch.resolve(cloudTrailName(t, i));
                Files.createDirectories(into.getParent());
                long dropped = System.nanoTime();
                Files.move(tmp, into, StandardCopyOption.ATOMIC_MOVE);
                while (!arrived.containsKey(secret)) {
                    if (System.nanoTime() - dropped > 120e9) {
                        throw new IllegalStateException("no webhook for " + secret + " within 120 s");
                    }
                    Thread.sleep(5);
                }
                double took = (arrived.get(secret) - dropped) / 1e6;
                ms.add(took);
                System.err.printf(Locale.ROOT, "file %d: webhook after %.0f ms%n", i, took);
                Thread.sleep(1_000);
            }
            Collections.sort(ms);
            System.out.printf(Locale.ROOT, "file -> webhook (%d files): p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
                    ms.size(), pct(ms, 50), pct(ms, 95), ms.get(ms.size() - 1));
            Path state = work.resolve("state");
            System.out.printf(Locale.ROOT, "disk: work dir %.1f MB (DuckDB %.1f MB, Kafka %.1f MB)%n",
                    size(state) / 1e6, size(state.resolve("secrettrail.duckdb")) / 1e6, size(state.resolve("kafka")) / 1e6);
        } finally {
            serve.destroy();
            serve.waitFor();
            hooks.stop(0);
        }
    }

    /** A name no other's is a prefix of. */
    static String secret(int i) {
        return "bench/latency" + i + "z";
    }

    static boolean ready(HttpClient http, int port) {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String cloudTrailName(Instant t, int i) {
        String day = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC).format(t);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC).format(t);
        return "AWSLogs/111111111111/CloudTrail/us-east-1/" + day + "/111111111111_CloudTrail_us-east-1_" + stamp
                + "_latency" + i + ".json.gz";
    }

    static void write(Path f, Instant t, String secret, int i) throws IOException {
        String arn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:" + secret + "-AbCdEf";
        String record = """
                {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:ops",
                "arn":"arn:aws:sts::111111111111:assumed-role/ops/ops","accountId":"111111111111"},
                "eventTime":"%s","eventSource":"secretsmanager.amazonaws.com","eventName":"DeleteSecret",
                "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0",
                "requestParameters":{"secretId":"%s","recoveryWindowInDays":7},
                "responseElements":{"name":"%s","aRN":"%s","deletionDate":"%s"},
                "requestID":"req-latency-%d","eventID":"00000000-0000-4000-8000-%012d","readOnly":false,
                "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111111111111"}"""
                .formatted(t.toString(), arn, secret, arn, t.plusSeconds(7 * 86400).toString(), i, i);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(("{\"Records\":[" + record.replace("\n", "") + "]}").getBytes(StandardCharsets.UTF_8));
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Bytes on disk (du: Kafka preallocates its index files, so their length overstates what they use). */
    static long size(Path p) throws IOException, InterruptedException {
        if (!Files.exists(p)) {
            return 0;
        }
        Process du = new ProcessBuilder("du", "-sk", p.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        du.waitFor();
        return Long.parseLong(out.split("\\s+")[0]) * 1024;
    }
}
