package io.secrettrail.core.event;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The real CloudTrail records under src/test/resources/cloudtrail (see each folder's SOURCE.md). */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String resource) {
        try {
            return Path.of(Fixtures.class.getResource("/cloudtrail/" + resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> lines(String resource) {
        try {
            return Files.readAllLines(path(resource), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes records as a CloudTrail log file {"Records":[...]}, gzip when the name ends in .gz. */
    public static Path recordsFile(Path dir, String name, List<String> records) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        try (OutputStream raw = Files.newOutputStream(f);
                OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
            out.write(("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8));
        }
        return f;
    }

    public static byte[] bytes(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
