package io.secrettrail.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Searches the decompressed text of a trail. */
final class TrailGrep {
    private TrailGrep() {}

    static boolean containsInTrail(Path trail, String needle) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(trail)) {
            files = s.filter(p -> p.toString().endsWith(".json.gz")).toList();
        }
        for (Path f : files) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(needle)) {
                    return true;
                }
            }
        }
        return false;
    }
}
