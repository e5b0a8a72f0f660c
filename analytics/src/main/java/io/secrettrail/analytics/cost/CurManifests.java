package io.secrettrail.analytics.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Chooses, per billing period, the export files of the current delivery, as its manifest names them, so that a
 * versioned export (several assemblies or executions of one period) is read once.
 *
 * <p>Legacy CUR: {@code <report>/<yyyymmdd-yyyymmdd>/<report>-Manifest.json} names the current assembly's files in
 * {@code reportKeys} (S3 keys); the period is that directory (a copy of the manifest in each assembly directory is
 * inside it, and does not count). CUR 2.0 (Data Exports): {@code <export>/metadata/BILLING_PERIOD=YYYY-MM/
 * <export>-Manifest.json} names the delivery's files in {@code dataFiles} (s3:// URIs); the period is
 * {@code <export>/data/BILLING_PERIOD=YYYY-MM}. A file is named when a key ends with its path below the root.
 * https://docs.aws.amazon.com/cur/latest/userguide/understanding-report-versions.html,
 * https://docs.aws.amazon.com/cur/latest/userguide/dataexports-manifest.html
 *
 * <p>A period without a manifest is read whole. A manifest that cannot be used is named and ignored: its period is
 * read whole.
 */
final class CurManifests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CurManifests() {}

    /** The files to read; what was skipped (notices) and the manifests that could not be used (errors). */
    record Selection(List<Path> files, List<String> notices, List<String> errors) {}

    /** A usable manifest: the period directory it governs and the keys it names. */
    private record Manifest(String name, Path period, List<String> keys) {}

    static boolean manifestFile(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith("manifest.json");
    }

    static Selection select(Path root, List<Path> files) throws IOException {
        List<String> notices = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Path> found;
        try (Stream<Path> walk = Files.walk(root)) {
            found = walk.filter(Files::isRegularFile)
                    .filter(p -> manifestFile(p.getFileName().toString()))
                    .sorted()
                    .toList();
        }
        List<Manifest> manifests = new ArrayList<>();
        for (Path m : found) {
            String name = relative(root, m);
            Path period = period(m);
            // a manifest inside another's period (legacy CUR's copy in each assembly directory) is not the current one
            if (found.stream()
                    .anyMatch(o -> !o.equals(m) && !period(o).equals(period) && period.startsWith(period(o)))) {
                continue;
            }
            try {
                manifests.add(new Manifest(name, period, keys(m)));
            } catch (JsonProcessingException e) {
                // the parser's own location, not its message, which may name the file by its machine path
                String at = e.getLocation() == null
                        ? ""
                        : " at line " + e.getLocation().getLineNr() + ", column "
                                + e.getLocation().getColumnNr();
                errors.add(unusable(name, "not JSON" + at));
            } catch (IOException | IllegalArgumentException e) {
                errors.add(unusable(name, e.getMessage()));
            }
        }
        Set<Path> kept = new LinkedHashSet<>(files);
        for (Manifest m : manifests) {
            int skipped = 0;
            int named = 0;
            for (Path f : files) {
                if (!f.startsWith(m.period())) {
                    continue;
                }
                String rel = relative(root, f);
                if (m.keys().stream().anyMatch(k -> names(k, rel))) {
                    named++;
                } else {
                    kept.remove(f);
                    skipped++;
                }
            }
            if (skipped > 0) {
                notices.add(m.name() + ": " + skipped + " export file" + (skipped == 1 ? "" : "s")
                        + " of other deliveries skipped, " + named + " read as the manifest names");
            }
            // a key may name a file outside the period's folder (legacy Parquet keeps its data in year=/month=
            // folders): it is missing only when no file below the root is it
            long missing = m.keys().stream()
                    .filter(k -> files.stream().noneMatch(f -> names(k, relative(root, f))))
                    .count();
            if (missing > 0) {
                notices.add(m.name() + ": " + missing + " file" + (missing == 1 ? "" : "s") + " it names "
                        + (missing == 1 ? "is" : "are") + " not found");
            }
        }
        return new Selection(List.copyOf(kept), List.copyOf(notices), List.copyOf(errors));
    }

    /** An S3 key names a file when it ends with the file's path below the root. */
    private static boolean names(String key, String rel) {
        return key.equals(rel) || key.endsWith("/" + rel);
    }

    private static String unusable(String name, String why) {
        return name + ": not a usable manifest (" + why + "): ignored, every file of its period is read";
    }

    /** CUR 2.0: {@code metadata/BILLING_PERIOD=...} governs {@code data/BILLING_PERIOD=...}; legacy: its directory. */
    private static Path period(Path manifest) {
        Path dir = manifest.getParent();
        Path up = dir.getParent();
        if (dir.getFileName() != null
                && dir.getFileName().toString().startsWith("BILLING_PERIOD=")
                && up != null
                && up.getFileName() != null
                && up.getFileName().toString().equals("metadata")
                && up.getParent() != null) {
            return up.getParent().resolve("data").resolve(dir.getFileName().toString());
        }
        return dir;
    }

    /** The S3 keys the manifest names: {@code reportKeys} (legacy) or {@code dataFiles} (CUR 2.0, s3:// URIs). */
    private static List<String> keys(Path manifest) throws IOException {
        JsonNode doc = JSON.readTree(manifest.toFile());
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode list = doc.has("dataFiles") ? doc.get("dataFiles") : doc.get("reportKeys");
        String field = doc.has("dataFiles") ? "dataFiles" : "reportKeys";
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

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
