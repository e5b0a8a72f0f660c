import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Baseline (a): DuckDB's own read_json over every *.json.gz of a trail, unnesting Records and
 * counting distinct Secrets Manager eventIDs. Prints "records seconds distinctSecretsManagerEvents".
 */
public class DuckDbReadJson {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.setProperty("autoinstall_known_extensions", "false");
        String glob = args[0].replace("'", "''") + "/**/*.json.gz";
        String sql = """
                SELECT count(*), count(DISTINCT r.eventID) FILTER (WHERE r.eventSource = 'secretsmanager.amazonaws.com')
                FROM (SELECT unnest(Records) AS r FROM read_json('%s', format = 'auto',
                      columns = {Records: 'STRUCT(eventID VARCHAR, eventSource VARCHAR, eventName VARCHAR, eventTime VARCHAR)[]'},
                      maximum_object_size = 268435456))
                """.formatted(glob);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(java.util.Locale.ROOT, "%d %.3f %d%n", rs.getLong(1), secs, rs.getLong(2));
        }
    }
}
