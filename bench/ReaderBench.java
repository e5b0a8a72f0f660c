import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MemoryRecords;

import io.secrettrail.core.KafkaSettings;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretResolver;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.IngestConfig;
import io.secrettrail.ingest.TrailIngestor;

/**
 * The ingest reader's own cost (a benchmark, not a test): TrailIngestor over a trail's files and
 * inventory, publishing through EventPublisher into a sink that does on the calling thread what
 * KafkaProducer.send does there (headers made read-only, the record's size upper bound, its append
 * to an lz4 batch of batch.size, a full batch closed), then acknowledges at once: no broker, no
 * network, so only the reader side is measured. Prints, per run, wall seconds, records/s, the
 * process's CPU seconds and the "ingest-reader" threads' CPU seconds (sampled every 10 ms through
 * ThreadMXBean); then, as a baseline in the same run, a bare single-threaded Jackson pass
 * (bench/JacksonPass.java) over the same files, in a child process.
 * Usage: java -cp 'app/target/secrettrail.jar:app/target/lib/*' bench/ReaderBench.java TRAIL_DIR [RUNS] [THREADS]
 *   (TRAIL_DIR holds trail/ and inventory/, as a generated trail does)
 */
public class ReaderBench {
    /** As KafkaClients.producer: lz4, 256 KB batches. */
    static final int BATCH_SIZE = 256 * 1024;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : IngestConfig.defaultThreads();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> readerCpu = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Sink sink = new Sink();
            EventPublisher publisher = new EventPublisher(sink.producer(), KafkaSettings.Topics.defaults(),
                    new SecretResolver(new SecretIndex()), java.time.Clock.systemUTC());
            IngestConfig config = new IngestConfig(List.of(dir.resolve("trail")), List.of(dir.resolve("inventory")), threads, io.secrettrail.core.event.ReadLimits.defaults());
            Map<Long, Long> cpu = new ConcurrentHashMap<>();
            // A previous run's readers may still be finishing: their CPU is not this run's.
            java.util.Set<Long> earlier = readers(mx);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    sample(mx, cpu, earlier);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "sampler");
            sampler.setDaemon(true);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            sampler.start();
            io.secrettrail.ingest.IngestSummary s = new TrailIngestor(config, publisher, new SecretIndex()).run();
            double wall = (System.nanoTime() - t0) / 1e9;
            double processCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            sampler.interrupt();
            sampler.join();
            double reader = cpu.values().stream().mapToLong(Long::longValue).sum() / 1e9;
            readerCpu.add(reader);
            System.out.printf(Locale.ROOT,
                    "run %d: %d files, %d records, %d accepted, %d messages (%.1f MB lz4): %.2f s wall, %.0f records/s,"
                            + " process CPU %.2f s, ingest-reader CPU %.2f s (%d threads)%n",
                    run, s.files(), s.records(), s.secretsManagerRecords(), publisher.messages(), sink.compressed() / 1e6, wall,
                    s.records() / wall, processCpu, reader, cpu.size());
        }
        List<Double> sorted = readerCpu.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "ingest-reader CPU median of %d runs: %.2f s%n", runs, sorted.get(sorted.size() / 2));

        // The baseline, in the same conditions: a bare single-threaded Jackson pass over the same files.
        Process p = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), "bench/JacksonPass.java",
                dir.resolve("trail").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        p.waitFor();
        String[] f = out.split("\\s+");
        System.out.printf(Locale.ROOT, "bare Jackson pass (bench/JacksonPass.java, one thread): %s records, %s s%n", f[0], f[f.length > 1 ? 1 : 0]);
    }

    private static java.util.Set<Long> readers(ThreadMXBean mx) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals("ingest-reader")) {
                ids.add(t.getThreadId());
            }
        }
        return ids;
    }

    private static void sample(ThreadMXBean mx, Map<Long, Long> cpu, java.util.Set<Long> earlier) {
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals("ingest-reader") && !earlier.contains(t.getThreadId())) {
                long c = mx.getThreadCpuTime(t.getThreadId());
                if (c > 0) {
                    cpu.merge(t.getThreadId(), c, Math::max);
                }
            }
        }
    }

    /**
     * KafkaProducer.send's work on the caller's thread, into one lz4 batch per thread (the accumulator
     * keeps one open batch per partition; its lock and the sender thread are left out).
     */
    static final class Sink {
        private final ThreadLocal<MemoryRecordsBuilder> batches = ThreadLocal.withInitial(Sink::batch);
        private final java.util.concurrent.atomic.AtomicLong compressed = new java.util.concurrent.atomic.AtomicLong();

        private static MemoryRecordsBuilder batch() {
            return MemoryRecords.builder(ByteBuffer.allocate(BATCH_SIZE), RecordBatch.CURRENT_MAGIC_VALUE,
                    Compression.lz4().build(), TimestampType.CREATE_TIME, 0L);
        }

        long compressed() {
            return compressed.get();
        }

        void send(ProducerRecord<byte[], byte[]> r) {
            ((RecordHeaders) r.headers()).setReadOnly();
            Header[] headers = r.headers().toArray();
            int size = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.LZ4, r.key(),
                    r.value(), headers);
            if (size <= 0) {
                throw new IllegalStateException("no size");
            }
            long now = System.currentTimeMillis();
            MemoryRecordsBuilder b = batches.get();
            if (!b.hasRoomFor(now, r.key(), r.value(), headers)) {
                b.close();
                compressed.addAndGet(b.build().sizeInBytes());
                b = batch();
                batches.set(b);
            }
            b.append(now, r.key(), r.value(), headers);
        }

        @SuppressWarnings("unchecked")
        Producer<byte[], byte[]> producer() {
            return (Producer<byte[], byte[]>) java.lang.reflect.Proxy.newProxyInstance(ReaderBench.class.getClassLoader(),
                    new Class<?>[] {Producer.class}, (proxy, m, a) -> {
                        if (m.getName().equals("send")) {
                            send((ProducerRecord<byte[], byte[]>) a[0]);
                            if (a.length > 1 && a[1] != null) {
                                ((Callback) a[1]).onCompletion(null, null);
                            }
                            return java.util.concurrent.CompletableFuture.completedFuture(null);
                        }
                        return null;
                    });
        }
    }
}
