package io.secrettrail.analytics.store;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventDetails;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * What a batch brought beside the Secrets Manager events: CloudTrail's logging changes ({@code trail_changes}),
 * the files ingest read ({@code trail_deliveries}) and the KMS requests made for secrets ({@code kms_requests}).
 * Changes are rare and KMS requests at most one per read or write of a secret, so plain batched statements; files
 * come every few minutes per account and region, thousands in a backfill, so all of a batch's go in one statement.
 */
final class TrailRecords {
    private final DuckDBConnection conn;

    TrailRecords(DuckDBConnection conn) {
        this.conn = conn;
    }

    void write(List<Batch.EventRow> changes, List<Batch.DeliveryRow> deliveries) throws SQLException {
        if (!changes.isEmpty()) {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/trail-change-insert"))) {
                for (Batch.EventRow row : changes) {
                    CloudTrailEvent e = row.event();
                    int i = 1;
                    ps.setString(i++, e.eventId());
                    ps.setObject(i++, Cells.utc(e.eventTime()));
                    ps.setString(i++, e.eventName());
                    ps.setString(i++, e.awsRegion());
                    ps.setString(i++, e.accountId());
                    ps.setString(i++, e.errorCode());
                    ps.setString(i++, e.errorMessage());
                    ps.setString(i++, e.principal().key());
                    ps.setString(i++, e.principal().type());
                    ps.setString(i++, e.sourceIp());
                    ps.setString(i++, e.userAgent());
                    ps.setString(i++, row.sourceFile());
                    ps.setObject(i++, row.sourceRecord());
                    ps.setString(i++, null); // raw: the record stays in the events topic (V015)
                    EventDetails x = e.details();
                    ps.setString(
                            i++,
                            "AssumedRole".equals(e.principal().type())
                                    ? e.principal().sessionArn()
                                    : null);
                    ps.setString(i++, x.accessKeyId());
                    ps.setString(i++, x.sourceIdentity());
                    ps.setString(i++, x.vpcEndpointId());
                    ps.setString(i++, x.requestedTrail());
                    ps.setString(i++, x.trailArn());
                    ps.setObject(i++, row.kafkaPartition());
                    ps.setObject(i, row.kafkaOffset());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        writeDeliveries(deliveries);
    }

    /**
     * The KMS requests, one row per eventID (the first copy of the batch): key, caller, secret, sharedEventID and the
     * caller's account from the record, no raw. All in one statement, as lists (see kms-request-insert.sql).
     */
    void writeKms(List<Batch.EventRow> requests) throws SQLException {
        if (requests.isEmpty()) {
            return;
        }
        Map<String, Batch.EventRow> first = new LinkedHashMap<>();
        requests.forEach(r -> first.putIfAbsent(r.event().eventId(), r));
        Columns c = new Columns(14, first.size());
        for (Batch.EventRow row : first.values()) {
            CloudTrailEvent e = row.event();
            KmsFields f = KmsFields.of(e.raw());
            c.row(
                    e.eventId(),
                    micros(e.eventTime()),
                    e.eventName(),
                    e.accountId(),
                    e.awsRegion(),
                    row.secret() != null
                            ? row.secret().key()
                            : e.secretIds().get(0).value(),
                    f.keyArn(),
                    e.principal().key(),
                    f.invokedBy(),
                    e.errorCode(),
                    row.sourceFile(),
                    row.sourceRecord(),
                    f.sharedEventId(),
                    f.callerAccount());
        }
        c.execute(
                "store/kms-request-insert",
                "VARCHAR",
                "BIGINT",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "BIGINT",
                "VARCHAR",
                "VARCHAR");
    }

    /** All of a batch's deliveries in one statement, as lists (see trail-delivery-upsert.sql). */
    private void writeDeliveries(List<Batch.DeliveryRow> deliveries) throws SQLException {
        if (deliveries.isEmpty()) {
            return;
        }
        Columns c = new Columns(5, deliveries.size());
        for (Batch.DeliveryRow d : deliveries) {
            c.row(d.account(), d.region(), d.file(), micros(d.latestEventTime()), d.records());
        }
        c.execute("store/trail-delivery-upsert", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT");
    }

    private static Long micros(Instant t) {
        return t == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    /** A batch's rows turned into one list per column, bound as the statement's parameters in order. */
    private final class Columns {
        private final Object[][] lists;
        private int rows;

        Columns(int columns, int capacity) {
            lists = new Object[columns][capacity];
        }

        void row(Object... values) {
            for (int i = 0; i < values.length; i++) {
                lists[i][rows] = values[i];
            }
            rows++;
        }

        void execute(String sql, String... types) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text(sql))) {
                for (int i = 0; i < lists.length; i++) {
                    ps.setArray(i + 1, conn.createArrayOf(types[i], lists[i]));
                }
                ps.execute();
            }
        }
    }
}
