import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.Properties;

/**
 * Baselines (a): DuckDB's own read_json over every *.json.gz of a trail, running one query file of
 * bench/ ({trail_glob} replaced by the quoted glob). The clock runs from opening the connection to
 * the last result row read: the query alone, no JVM start. Prints
 * "rows seconds records event_ids": rows of the result, and the sums of its columns named records
 * and event_ids (0 when absent) — for checking against the generator's truth.json.
 */
public class DuckDbReadJson {
    public static void main(String[] args) throws Exception {
        String template = Files.readString(Path.of(args[0]));
        String glob = "'" + (args[1] + "/**/*.json.gz").replace("'", "''") + "'";
        String sql = template.replace("{trail_glob}", glob);
        Properties props = new Properties();
        props.setProperty("autoinstall_known_extensions", "false");
        long rows = 0;
        long records = 0;
        long eventIds = 0;
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int recordsCol = 0;
            int idsCol = 0;
            for (int i = 1; i <= md.getColumnCount(); i++) {
                if (md.getColumnLabel(i).equals("records")) {
                    recordsCol = i;
                } else if (md.getColumnLabel(i).equals("event_ids")) {
                    idsCol = i;
                }
            }
            int columns = md.getColumnCount();
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i); // materialise every value, as a consumer of the result would
                }
                records += recordsCol == 0 ? 0 : rs.getLong(recordsCol);
                eventIds += idsCol == 0 ? 0 : rs.getLong(idsCol);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "%d %.3f %d %d%n", rows, secs, records, eventIds);
    }
}
