package io.secrettrail.analytics.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQL statements kept as resource files, {@code src/main/resources/sql/<area>/<name>.sql}, beside the code
 * that runs them. {@code Sql.text("cost/months")} reads {@code /sql/cost/months.sql} once and keeps it.
 *
 * <p>A missing file is a packaging bug, so it fails loudly with the path it looked for rather than running an
 * empty statement. Values are always bound as parameters ({@code ?} or DuckDB's {@code $1}); a statement file
 * never holds a value spliced in by string concatenation.
 */
public final class Sql {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Sql() {}

    /** The text of {@code /sql/<path>.sql}, e.g. {@code text("store/insert-event")}. */
    public static String text(String path) {
        return CACHE.computeIfAbsent(path, Sql::read);
    }

    private static String read(String path) {
        if (path.contains("..") || path.startsWith("/")) {
            throw new IllegalArgumentException("SQL resource path must be relative, without '..': " + path);
        }
        String resource = "/sql/" + path + ".sql";
        try (InputStream in = Sql.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SQL resource not found on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL resource " + resource, e);
        }
    }
}
