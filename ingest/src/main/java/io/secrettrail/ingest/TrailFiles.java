package io.secrettrail.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Finds the files to read under the given paths, in a stable order. */
public final class TrailFiles {
    private TrailFiles() {}

    /**
     * Regular files ending in .json, .json.gz, .ndjson, .jsonl (optionally .gz) under each path,
     * sorted; CloudTrail digest files and hidden files are left out.
     *
     * @throws NoSuchFileException when a path does not exist
     */
    public static List<Path> list(List<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new NoSuchFileException(root.toString(), null, "no such file or directory");
            }
            if (Files.isRegularFile(root)) {
                files.add(root);
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .filter(TrailFiles::isTrailFile)
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    static boolean isTrailFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.startsWith(".") || p.toString().contains("CloudTrail-Digest")) {
            return false;
        }
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        return base.endsWith(".json") || base.endsWith(".ndjson") || base.endsWith(".jsonl");
    }

    /** How a file is named in messages: relative to its root directory when under one. */
    public static String displayName(Path file, List<Path> roots) {
        for (Path root : roots) {
            if (file.startsWith(root) && !file.equals(root) && Files.isDirectory(root)) {
                Path base = root.getFileName() == null ? root : root.getFileName();
                return base.resolve(root.relativize(file)).toString();
            }
        }
        return file.getFileName().toString();
    }
}
