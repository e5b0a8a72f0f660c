package io.secrettrail.analytics.store;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The shipped migrations numbered below one, byte for byte: what a database of the release before it ran. */
final class MigrationsBefore {
    /** Where {@link #copy} puts them, for {@link Migrations#at}. */
    static final String FOLDER = "sql/before";

    private MigrationsBefore() {}

    /**
     * Copies the shipped migrations numbered below {@code number} under {@code dir}.
     *
     * @return a class loader that finds them in {@link #FOLDER} (close it after use)
     */
    static URLClassLoader copy(Path dir, int number) throws IOException, URISyntaxException {
        Path before = dir.resolve(FOLDER);
        Files.createDirectories(before);
        Path shipped = Path.of(MigrationsBefore.class
                .getClassLoader()
                .getResource("sql/migrations")
                .toURI());
        try (Stream<Path> files = Files.list(shipped)) {
            for (Path f : files.filter(f -> number(f) < number).toList()) {
                Files.copy(f, before.resolve(f.getFileName().toString()));
            }
        }
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    }

    private static int number(Path f) {
        String n = f.getFileName().toString();
        return Integer.parseInt(n.substring(1, n.indexOf("__")));
    }
}
