package io.secrettrail.core.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * How a Cost and Usage Report export lays out its files, on paths relative to the export root ({@code /}-separated):
 * which files are exports, which are manifests, the billing period a manifest governs and the files it names. The
 * reader applies it to a directory and the S3 download to the listed keys, so both choose the same files.
 *
 * <p>Legacy CUR: {@code <report>/<yyyymmdd-yyyymmdd>/<report>-Manifest.json} names the current assembly's files in
 * {@code reportKeys} (S3 keys); the period is that directory (a copy of the manifest in each assembly directory is
 * inside it, and does not count). CUR 2.0 (Data Exports): {@code <export>/metadata/BILLING_PERIOD=YYYY-MM/
 * <export>-Manifest.json} names the delivery's files in {@code dataFiles} (s3:// URIs); the period is
 * {@code <export>/data/BILLING_PERIOD=YYYY-MM}. A file is named when a key ends with its path below the root.
 * https://docs.aws.amazon.com/cur/latest/userguide/understanding-report-versions.html,
 * https://docs.aws.amazon.com/cur/latest/userguide/dataexports-manifest.html
 */
public final class CurLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The largest manifest read (64 MiB): a manifest is read whole, and AWS's name a few thousand files at most, so
     * one above it is not a manifest to trust (a hostile one would fill the heap). It is named and not used.
     */
    public static final long MAX_MANIFEST_BYTES = 64L * 1024 * 1024;

    private CurLayout() {}

    /**
     * The S3 keys the manifest file names ({@link #keys(byte[])}), read only when it is at most {@code maxBytes}.
     *
     * @throws IOException when it cannot be read, or saying it is larger than {@code maxBytes}
     */
    public static List<String> keys(Path manifest, long maxBytes) throws IOException {
        long size = Files.size(manifest);
        if (size > maxBytes) {
            throw new IOException(size + " bytes, larger than the " + maxBytes + " bytes a manifest may have");
        }
        return keys(Files.readAllBytes(manifest));
    }

    /** An export file: {@code .parquet}, {@code .csv}, {@code .csv.gz}. */
    public static boolean exportFile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".parquet") || n.endsWith(".csv") || n.endsWith(".csv.gz");
    }

    /** Legacy CUR's {@code <report>-Manifest.json}, CUR 2.0's {@code <export>-Manifest.json}. */
    public static boolean manifest(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith("manifest.json");
    }

    /**
     * The period directory a manifest governs: CUR 2.0's {@code metadata/BILLING_PERIOD=...} governs
     * {@code data/BILLING_PERIOD=...}; legacy: the manifest's directory ({@code ""} for the root).
     */
    public static String period(String manifest) {
        String dir = parent(manifest);
        String up = parent(dir);
        String name = last(dir);
        if (name.startsWith("BILLING_PERIOD=") && last(up).equals("metadata")) {
            String export = parent(up);
            return (export.isEmpty() ? "" : export + "/") + "data/" + name;
        }
        return dir;
    }

    /** Whether a file lies in a period directory. */
    public static boolean inPeriod(String period, String file) {
        return period.isEmpty() || file.startsWith(period + "/");
    }

    /** A manifest inside another's period (legacy CUR's copy in each assembly directory) is not the current one. */
    public static boolean superseded(String manifest, Collection<String> manifests) {
        String period = period(manifest);
        return manifests.stream()
                .anyMatch(o -> !o.equals(manifest) && !period(o).equals(period) && inPeriod(period(o), period));
    }

    /** An S3 key names a file when it ends with the file's path below the root. */
    public static boolean names(String key, String file) {
        return key.equals(file) || key.endsWith("/" + file);
    }

    /**
     * The S3 keys a manifest names: {@code reportKeys} (legacy) or {@code dataFiles} (CUR 2.0, s3:// URIs, the
     * bucket dropped).
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when it is not JSON
     * @throws IllegalArgumentException naming what is wrong when it is JSON but not a manifest
     */
    public static List<String> keys(byte[] manifest) throws IOException {
        JsonNode doc = JSON.readTree(manifest);
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String field = doc.has("dataFiles") ? "dataFiles" : "reportKeys";
        JsonNode list = doc.get(field);
        if (list == null) {
            throw new IllegalArgumentException("it has neither dataFiles nor reportKeys");
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(field + " is not a list");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode k : list) {
            if (!k.isTextual() || k.asText().isBlank()) {
                throw new IllegalArgumentException(field + " holds an entry that is not a file name");
            }
            String key = k.asText();
            if (key.startsWith("s3://")) {
                int slash = key.indexOf('/', "s3://".length());
                key = slash < 0 ? "" : key.substring(slash + 1);
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
