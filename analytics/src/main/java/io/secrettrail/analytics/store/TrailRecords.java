package io.secrettrail.analytics.store;

import io.secrettrail.core.event.CloudTrailEvent;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * What a batch brought beside the Secrets Manager events: CloudTrail's logging changes ({@code trail_changes}),
 * the files ingest read ({@code trail_deliveries}) and the KMS requests made for secrets ({@code kms_requests}).
 * A few rows per batch (a change is rare, a file every few minutes per account and region, a KMS request at most
 * one per read or write of a secret), so plain batched statements, not the Appender.
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
                    ps.setString(i, new String(e.raw(), StandardCharsets.UTF_8));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        writeDeliveries(deliveries);
    }

    /** The KMS requests, one row per eventID: key, caller and secret from the record, no raw. */
    void writeKms(List<Batch.EventRow> requests) throws SQLException {
        if (requests.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/kms-request-insert"))) {
            for (Batch.EventRow row : requests) {
                CloudTrailEvent e = row.event();
                KmsFields f = KmsFields.of(e.raw());
                int i = 1;
                ps.setString(i++, e.eventId());
                ps.setObject(i++, Cells.utc(e.eventTime()));
                ps.setString(i++, e.eventName());
                ps.setString(i++, e.accountId());
                ps.setString(i++, e.awsRegion());
                ps.setString(
                        i++,
                        row.secret() != null
                                ? row.secret().key()
                                : e.secretIds().get(0).value());
                ps.setString(i++, f.keyArn());
                ps.setString(i++, e.principal().key());
                ps.setString(i++, f.invokedBy());
                ps.setString(i++, e.errorCode());
                ps.setString(i++, row.sourceFile());
                ps.setObject(i, row.sourceRecord());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeDeliveries(List<Batch.DeliveryRow> deliveries) throws SQLException {
        if (!deliveries.isEmpty()) {
            try (PreparedStatement ps = conn.prepareStatement(Sql.text("store/trail-delivery-upsert"))) {
                for (Batch.DeliveryRow d : deliveries) {
                    ps.setString(1, d.account());
                    ps.setString(2, d.region());
                    ps.setString(3, d.file());
                    ps.setObject(4, Cells.utc(d.latestEventTime()));
                    ps.setLong(5, d.records());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
