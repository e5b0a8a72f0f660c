package io.secrettrail.ingest.aws;

import io.secrettrail.core.billing.CurLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Downloads the Cost and Usage Report export files under {@code s3://bucket/prefix} (listed page by page) into a
 * local directory, keeping their keys below the prefix as paths, so that DuckDB reads them as files: its S3 support
 * is an extension, and extensions cannot be installed here. Only what the reader reads is fetched
 * ({@link CurLayout}): the current manifests ({@code ...Manifest.json}) first, then, in a period a usable manifest
 * governs, the export files it names; elsewhere every export file ({@code .parquet}, {@code .csv},
 * {@code .csv.gz}). Any other object, an object above the size cap and a key that would leave the directory are
 * named with their size and skipped; the rest is fetched.
 */
public final class CurDownload {
    private final S3Client s3;
    private final long maxObjectBytes;
    private final long maxManifestBytes;

    /** @param maxObjectBytes the largest object fetched ({@code aws.billing.maxObjectBytes}) */
    public CurDownload(S3Client s3, long maxObjectBytes) {
        this(s3, maxObjectBytes, CurLayout.MAX_MANIFEST_BYTES);
    }

    /** @param maxManifestBytes the largest manifest fetched and read ({@link CurLayout#MAX_MANIFEST_BYTES}) */
    CurDownload(S3Client s3, long maxObjectBytes, long maxManifestBytes) {
        this.s3 = s3;
        this.maxObjectBytes = maxObjectBytes;
        this.maxManifestBytes = maxManifestBytes;
    }

    /** The files written, under the directory, and one message per object skipped (also logged). */
    public record Result(List<Path> files, List<String> skipped) {}

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

    /** Lists the prefix, then fetches the current manifests and the export files the reader will read. */
    public Result download(Location from, Path into) throws IOException {
        Files.createDirectories(into);
        Path root = into.toAbsolutePath().normalize();
        List<String> skipped = new ArrayList<>();
        // relative path below the prefix -> the listed object, in key order
        Map<String, S3Object> listed = new LinkedHashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(from.bucket()).prefix(from.prefix()))
                .contents()) {
            String key = o.key();
            String rel = relative(from, key);
            long size = o.size() == null ? 0 : o.size();
            if (!CurLayout.exportFile(key) && !CurLayout.manifest(key)) {
                skip(skipped, from, key, size, "not an export file or manifest");
            } else if (rel.isEmpty() || !root.resolve(rel).normalize().startsWith(root)) {
                // a hostile or odd key is named and skipped; the other export files are still fetched
                skip(skipped, from, key, size, "a key that leaves the download directory");
            } else if (size > maxObjectBytes) {
                skip(skipped, from, key, size, "larger than aws.billing.maxObjectBytes (" + maxObjectBytes + ")");
            } else {
                listed.put(rel, o);
            }
        }
        List<String> manifests =
                listed.keySet().stream().filter(CurLayout::manifest).toList();
        Map<String, Path> out = new TreeMap<>();
        // period -> the keys its manifest names; a period whose manifest is unusable is fetched whole
        Map<String, List<String>> named = new LinkedHashMap<>();
        for (String m : manifests) {
            if (CurLayout.superseded(m, manifests)) {
                continue;
            }
            S3Object o = listed.get(m);
            if (o.size() != null && o.size() > maxManifestBytes) {
                // read whole, a huge one would fill the heap: named and left out, its period is fetched whole, as
                // the reader reads a period without a usable manifest
                skip(skipped, from, o.key(), o.size(), "a manifest larger than " + maxManifestBytes + " bytes");
                continue;
            }
            Path file = fetch(from, o, root.resolve(m).normalize());
            out.put(m, file);
            try {
                // the listed size is checked above, the fetched file's here: the reader names it if it is too large
                named.put(CurLayout.period(m), CurLayout.keys(file, maxManifestBytes));
            } catch (IOException | IllegalArgumentException e) {
                // the reader names the unusable manifest and reads its period whole: so every file is fetched
                LOG.debug(
                        "s3://{}/{}: not a usable manifest",
                        from.bucket(),
                        listed.get(m).key());
            }
        }
        for (Map.Entry<String, S3Object> e : listed.entrySet()) {
            String rel = e.getKey();
            if (CurLayout.manifest(rel) || !wanted(rel, named)) {
                continue;
            }
            out.put(rel, fetch(from, e.getValue(), root.resolve(rel).normalize()));
        }
        return new Result(List.copyOf(out.values()), List.copyOf(skipped));
    }

    /** Whether the reader reads an export file: named by the manifest of its period, or in no manifest's period. */
    private static boolean wanted(String rel, Map<String, List<String>> named) {
        for (Map.Entry<String, List<String>> p : named.entrySet()) {
            if (CurLayout.inPeriod(p.getKey(), rel)) {
                return p.getValue().stream().anyMatch(k -> CurLayout.names(k, rel));
            }
        }
        return true;
    }

    private Path fetch(Location from, S3Object o, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        s3.getObject(b -> b.bucket(from.bucket()).key(o.key()), ResponseTransformer.toFile(file));
        return file;
    }

    private static String relative(Location from, String key) {
        String rel = key.substring(Math.min(from.prefix().length(), key.length()));
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        return rel;
    }

    private static void skip(List<String> skipped, Location from, String key, long size, String why) {
        // a key is the bucket owner's text: control characters would forge log lines
        String m = "s3://" + from.bucket() + "/" + key.replaceAll("\\p{Cntrl}", "?") + " (" + size
                + " bytes): skipped, " + why;
        skipped.add(m);
        LOG.warn("{}", m);
    }
}
