package io.secrettrail.analytics.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.secrettrail.core.billing.CurLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Chooses, per billing period, the export files of the current delivery, as its manifest names them, so that a
 * versioned export (several assemblies or executions of one period) is read once; the layout is {@link CurLayout}'s.
 *
 * <p>A period without a manifest is read whole. A manifest that cannot be used is named and ignored: its period is
 * read whole.
 */
final class CurManifests {
    private CurManifests() {}

    /** The files to read; what was skipped (notices) and the manifests that could not be used (errors). */
    record Selection(List<Path> files, List<String> notices, List<String> errors) {}

    /** A usable manifest: the period directory it governs and the keys it names. */
    private record Manifest(String name, String period, List<String> keys) {}

    static boolean manifestFile(String name) {
        return CurLayout.manifest(name);
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
        List<String> names = found.stream().map(m -> relative(root, m)).toList();
        List<Manifest> manifests = new ArrayList<>();
        for (Path m : found) {
            String name = relative(root, m);
            if (CurLayout.superseded(name, names)) {
                continue;
            }
            try {
                manifests.add(
                        new Manifest(name, CurLayout.period(name), CurLayout.keys(m, CurLayout.MAX_MANIFEST_BYTES)));
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
                String rel = relative(root, f);
                if (!CurLayout.inPeriod(m.period(), rel)) {
                    continue;
                }
                if (m.keys().stream().anyMatch(k -> CurLayout.names(k, rel))) {
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
                    .filter(k -> files.stream().noneMatch(f -> CurLayout.names(k, relative(root, f))))
                    .count();
            if (missing > 0) {
                notices.add(m.name() + ": " + missing + " file" + (missing == 1 ? "" : "s") + " it names "
                        + (missing == 1 ? "is" : "are") + " not found");
            }
        }
        return new Selection(List.copyOf(kept), List.copyOf(notices), List.copyOf(errors));
    }

    private static String unusable(String name, String why) {
        return name + ": not a usable manifest (" + why + "): ignored, every file of its period is read";
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
