package io.secrettrail.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: V015 takes the raw record off the write path. Rows stored before it keep their raw and get the
 * new columns filled from it, so an upgraded database answers as before; rows stored after it may have no raw.
 */
class RawColumnsMigrationTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

    private static final String OLD_EVENT = "{\"eventID\":\"old\",\"userIdentity\":{\"type\":\"AssumedRole\","
            + "\"arn\":\"arn:aws:sts::111122223333:assumed-role/App/i-1\",\"accessKeyId\":\"ASIAEXAMPLE\","
            + "\"sessionContext\":{\"sourceIdentity\":\"alice\"}},\"vpcEndpointId\":\"vpce-1\","
            + "\"requestParameters\":{\"forceDeleteWithoutRecovery\":true,\"recoveryWindowInDays\":7,"
            + "\"filters\":[{\"key\":\"tag-key\",\"values\":[\"!x\"]}],\"resourcePolicy\":\"{\\\"Version\\\":\\\"1\\\"}\"},"
            + "\"responseElements\":{\"versionId\":\"v-9\"}}";
    private static final String OLD_CHANGE = "{\"eventID\":\"c1\",\"userIdentity\":{\"type\":\"AssumedRole\","
            + "\"arn\":\"arn:aws:sts::111122223333:assumed-role/Ops/bob\",\"accessKeyId\":\"ASIAOPS\"},"
            + "\"requestParameters\":{\"trailName\":\"main\"},"
            + "\"responseElements\":{\"trailARN\":\"arn:aws:cloudtrail:us-east-1:111122223333:trail/main\"}}";

    @Test
    void rows_stored_before_v015_get_the_columns_from_their_raw_and_later_rows_need_none(@TempDir Path dir)
            throws Exception {
        // The shipped migrations before V015, byte for byte, as a database of the release before it.
        try (URLClassLoader loader = MigrationsBefore.copy(dir, 15);
                Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            Migrations.at(MigrationsBefore.FOLDER, loader, CLOCK).migrate(c, null);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO events (event_key, event_id, event_time, event_source, event_name, names_secret,"
                        + " filter_batch, raw) VALUES (uuid(), 'old', TIMESTAMP '2026-01-01 00:00:00',"
                        + " 'secretsmanager.amazonaws.com', 'UpdateSecret', true, false, '" + OLD_EVENT + "'),"
                        + " (uuid(), 'bare', TIMESTAMP '2026-01-02 00:00:00',"
                        + " 'secretsmanager.amazonaws.com', 'GetSecretValue', true, false, '{\"eventID\":\"bare\"}')");
                s.execute("INSERT INTO trail_changes (event_id, event_time, event_name, raw) VALUES ('c1',"
                        + " TIMESTAMP '2026-01-01 00:00:00', 'StopLogging', '" + OLD_CHANGE + "')");
            }
            Migrations.shipped(CLOCK).migrate(c, null);
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT access_key_id, source_identity, vpc_endpoint_id, version_id,"
                        + " force_delete, recovery_window_days, request_filters, resource_policy, kafka_partition,"
                        + " kafka_offset FROM events ORDER BY event_time")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ASIAEXAMPLE");
                    assertThat(rs.getString(2)).isEqualTo("alice");
                    assertThat(rs.getString(3)).isEqualTo("vpce-1");
                    assertThat(rs.getString(4)).isEqualTo("v-9");
                    assertThat(rs.getString(5)).isEqualTo("true");
                    assertThat(rs.getString(6)).isEqualTo("7");
                    assertThat(rs.getString(7)).isEqualTo("[{\"key\":\"tag-key\",\"values\":[\"!x\"]}]");
                    assertThat(rs.getString(8)).isEqualTo("\"{\\\"Version\\\":\\\"1\\\"}\"");
                    assertThat(rs.getObject(9)).isNull(); // not known for a row stored before V015
                    assertThat(rs.getObject(10)).isNull();
                    assertThat(rs.next()).isTrue();
                    for (int i = 1; i <= 10; i++) {
                        assertThat(rs.getObject(i))
                                .as("column %d of a record without the fields", i)
                                .isNull();
                    }
                    assertThat(rs.next()).isFalse();
                }
                try (ResultSet rs = s.executeQuery(
                        "SELECT session_arn, access_key_id, requested_trail, trail_arn" + " FROM trail_changes")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("arn:aws:sts::111122223333:assumed-role/Ops/bob");
                    assertThat(rs.getString(2)).isEqualTo("ASIAOPS");
                    assertThat(rs.getString(3)).isEqualTo("main");
                    assertThat(rs.getString(4)).isEqualTo("arn:aws:cloudtrail:us-east-1:111122223333:trail/main");
                    assertThat(rs.next()).isFalse();
                }
                // the evidence reads the columns of both tables
                try (ResultSet rs =
                        s.executeQuery("SELECT event_id, session_arn, access_key_id, source_identity, vpc_endpoint_id"
                                + " FROM evidence_events ORDER BY event_id")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("bare");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("c1");
                    assertThat(rs.getString(3)).isEqualTo("ASIAOPS");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("old");
                    assertThat(rs.getString(4)).isEqualTo("alice");
                    assertThat(rs.getString(5)).isEqualTo("vpce-1");
                    assertThat(rs.next()).isFalse();
                }
                // a row stored after V015 needs no raw
                s.execute("INSERT INTO events (event_key, event_id, event_time, event_source, event_name, names_secret,"
                        + " filter_batch, kafka_partition, kafka_offset) VALUES (uuid(), 'new',"
                        + " TIMESTAMP '2026-12-01 00:00:00', 'secretsmanager.amazonaws.com', 'GetSecretValue', true,"
                        + " false, 2, 41)");
                s.execute("INSERT INTO trail_changes (event_id, event_time, event_name) VALUES ('c2',"
                        + " TIMESTAMP '2026-12-01 00:00:00', 'StopLogging')");
                try (ResultSet rs =
                        s.executeQuery("SELECT count(*) FROM events WHERE raw IS NULL AND kafka_offset = 41")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
        }
    }
}
