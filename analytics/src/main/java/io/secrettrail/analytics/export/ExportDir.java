package io.secrettrail.analytics.export;

import io.secrettrail.core.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory a Parquet export writes to, checked before any SQL names it. DuckDB's {@code COPY} takes its
 * target as a string literal, never as a parameter, so a path with a quote, a backslash or a control character is
 * refused outright (not escaped and hoped for), and what remains is quoted.
 */
public final class ExportDir {
    private final Path path;

    private ExportDir(Path path) {
        this.path = path;
    }

    /**
     * The directory, created when missing.
     *
     * @throws IllegalArgumentException naming the path, when it holds a character COPY must not see, is not a
     *     directory, or cannot be created or written
     */
    public static ExportDir of(Path dir) {
        Path p = checked(dir);
        String s = p.toString();
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "export.parquet.dir: " + s + ": cannot create the directory (" + e.getMessage() + ")", e);
        }
        if (!Files.isDirectory(p) || !Files.isWritable(p)) {
            throw new IllegalArgumentException("export.parquet.dir: " + s + ": not a directory this process may write");
        }
        return new ExportDir(p);
    }

    /**
     * The directory as an absolute path, refused when it holds a character COPY must not see; nothing is created.
     *
     * @throws IllegalArgumentException naming {@code export.parquet.dir} and the path
     */
    public static Path checked(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        String s = p.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '\\' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("export.parquet.dir: " + Text.visible(s)
                        + ": quotes, backslashes and control characters are not allowed in an export directory");
            }
        }
        return p;
    }

    public Path path() {
        return path;
    }

    /** A path below this directory as a SQL string literal (it holds no quote: {@link #of} refused them). */
    String literal(Path below) {
        String s = below.toString();
        if (!below.startsWith(path) || s.indexOf('\'') >= 0) {
            throw new IllegalArgumentException(s + ": not below the export directory " + path);
        }
        return "'" + s + "'";
    }
}
