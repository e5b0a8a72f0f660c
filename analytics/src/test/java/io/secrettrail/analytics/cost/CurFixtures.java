package io.secrettrail.analytics.cost;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes the constructed CUR exports of {@code /cur/fixtures.sql} (see its SOURCE.md) under a directory. */
public final class CurFixtures {
    private static final Pattern TARGET = Pattern.compile("TO '\\{dir}/([^']+)'");

    private CurFixtures() {}

    /** @return {@code dir}, holding cur2/{match,differ}, legacy/{match,differ}, layouts/ and broken/ */
    public static Path write(Path dir) throws IOException, SQLException {
        String script;
        try (InputStream in = CurFixtures.class.getResourceAsStream("/cur/fixtures.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = TARGET.matcher(script);
        while (m.find()) {
            Files.createDirectories(dir.resolve(m.group(1)).getParent());
        }
        String text = script.replace("{dir}", dir.toString().replace("'", "''"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            for (String statement : text.split(";\\s*\\n")) {
                String sql = statement
                        .lines()
                        .filter(l -> !l.strip().startsWith("--"))
                        .reduce("", (a, b) -> a + b + "\n")
                        .strip();
                if (!sql.isEmpty()) {
                    s.execute(sql);
                }
            }
        }
        return dir;
    }
}
