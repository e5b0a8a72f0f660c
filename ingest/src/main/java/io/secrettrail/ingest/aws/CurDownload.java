package io.secrettrail.ingest.aws;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Downloads the Cost and Usage Report export files under {@code s3://bucket/prefix} (listed page by page) into a
 * local directory, keeping their keys below the prefix as paths, so that DuckDB reads them as files: its S3 support
 * is an extension, and extensions cannot be installed here. Only export files ({@code .parquet}, {@code .csv},
 * {@code .csv.gz}) and manifests ({@code ...Manifest.json}, which name a period's current delivery) are fetched;
 * anything else is left.
 */
public final class CurDownload {
    private final S3Client s3;

    public CurDownload(S3Client s3) {
        this.s3 = s3;
    }

    /** An {@code s3://bucket/prefix} location. */
    public record Location(String bucket, String prefix) {
        /** Parses {@code s3://bucket[/prefix]}; a bad one names what is wrong. */
        public static Location parse(String uri) {
            URI u;
            try {
                u = URI.create(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--cur: not an s3://bucket/prefix location: " + uri);
            }
            if (!"s3".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("--cur: not an s3://bucket/prefix location: " + uri);
            }
            String path = u.getPath() == null ? "" : u.getPath();
            return new Location(u.getHost(), path.startsWith("/") ? path.substring(1) : path);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CurDownload.class);

    /** @return the files written (exports and manifests), under {@code into}; a key that would leave it is logged and skipped */
    public List<Path> download(Location from, Path into) throws IOException {
        Files.createDirectories(into);
        Path root = into.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(from.bucket()).prefix(from.prefix()))
                .contents()) {
            String key = o.key();
            if (!exportFile(key) && !manifest(key)) {
                continue;
            }
            String rel = key.substring(Math.min(from.prefix().length(), key.length()));
            while (rel.startsWith("/")) {
                rel = rel.substring(1);
            }
            Path file = root.resolve(rel).normalize();
            if (!file.startsWith(root) || rel.isEmpty()) {
                // a hostile or odd key is named and skipped; the other export files are still fetched
                LOG.warn("s3://{}/{}: skipped, a key that leaves the download directory", from.bucket(), key);
                continue;
            }
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            s3.getObject(b -> b.bucket(from.bucket()).key(key), ResponseTransformer.toFile(file));
            out.add(file);
        }
        return out;
    }

    static boolean exportFile(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith(".parquet") || k.endsWith(".csv") || k.endsWith(".csv.gz");
    }

    /** Legacy CUR's {@code <report>-Manifest.json}, CUR 2.0's {@code <export>-Manifest.json}. */
    static boolean manifest(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith("manifest.json");
    }
}
