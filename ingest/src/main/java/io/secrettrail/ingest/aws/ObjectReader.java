package io.secrettrail.ingest.aws;

import io.secrettrail.core.event.ReadLimits;
import io.secrettrail.core.event.TrailReader;
import io.secrettrail.ingest.EventPublisher;
import io.secrettrail.ingest.PublishingSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Fetches one trail object and publishes its records: in memory up to 8 MiB (a ranged GET of at
 * most what the listing promised), larger through a temporary file. Safe to call from several
 * fetch threads at once.
 */
final class ObjectReader {
    // logged under the source's name, as before the split, so log configuration keeps applying
    private static final Logger log = LoggerFactory.getLogger(S3TrailSource.class);
    /** Objects up to this size are read in memory (CloudTrail's are a few KB to a few MB); larger ones through a temp file. */
    private static final long IN_MEMORY = 8L << 20;

    private final S3Client s3;
    private final String bucket;
    private final Path tmp;
    private final EventPublisher publisher;
    private final AtomicLong rejectionsLogged = new AtomicLong();
    /** One reader per fetch thread (building one costs a Jackson mapper: not per object). */
    private final ThreadLocal<TrailReader> readers;

    /** Creates {@code tmp} and deletes the objects a killed process left there half read. */
    ObjectReader(S3Client s3, String bucket, Path tmp, EventPublisher publisher, ReadLimits limits) throws IOException {
        this.s3 = s3;
        this.bucket = bucket;
        this.tmp = tmp;
        this.publisher = publisher;
        this.readers = ThreadLocal.withInitial(() -> new TrailReader(limits));
        Files.createDirectories(tmp);
        try (var left = Files.list(tmp)) { // objects a killed process was reading: never read again from here
            for (Path f :
                    (Iterable<Path>) left.filter(f -> f.getFileName().toString().startsWith("object-"))::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Reads and publishes the object; returns its records (0 when it is gone since the listing). */
    long read(S3Object o) throws IOException {
        String key = o.key();
        String name = "s3://" + bucket + "/" + key;
        PublishingSink sink = new PublishingSink(publisher, name, rejectionsLogged);
        TrailReader.Result r;
        if (o.size() != null && o.size() <= IN_MEMORY) {
            byte[] body;
            try {
                // At most what the listing promised: an object replaced by a huge one between the
                // listing and the GET must not be held whole in memory (it then reads as truncated).
                body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=0-" + (IN_MEMORY - 1)))
                        .asByteArrayUnsafe();
            } catch (NoSuchKeyException gone) {
                log.warn("{}: gone between listing and fetching (a lifecycle rule?); skipped", name);
                return 0L;
            }
            r = readers.get().read(body, name, sink);
        } else {
            Path file = Files.createTempFile(tmp, "object-", ".gz");
            try {
                Files.delete(file); // the SDK refuses to overwrite
                s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(file));
                r = readers.get().read(file, name, sink);
            } finally {
                Files.deleteIfExists(file);
            }
        }
        if (r.fileError() != null) {
            log.warn("{}: {}", name, r.fileError());
        }
        publisher.delivery(name, r);
        return r.records();
    }
}
