package io.secrettrail.analytics.store;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventDetails;
import io.secrettrail.core.secret.SecretRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Appends a batch's new events and (event, secret) pairs, counting each into the batch's rollups. */
final class EventAppender {
    private final DuckDBConnection conn;

    EventAppender(DuckDBConnection conn) {
        this.conn = conn;
    }

    /**
     * @param untracked names past the cap of never-confirmed names (see NameTracker.untracked)
     * @return events inserted
     */
    long append(Dedupe.Result d, Map<String, Boolean> untracked, Rollups rollups) throws SQLException {
        long inserted = 0;
        if (!d.firstCopies().isEmpty()) {
            long arrival = nextArrival();
            try (DuckDBAppender ev = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (var entry : d.firstCopies().entrySet()) {
                    if (d.stored().contains(entry.getKey())) {
                        continue;
                    }
                    inserted++;
                    Batch.EventRow row = entry.getValue();
                    CloudTrailEvent e = row.event();
                    rollups.event(
                            e,
                            row.secret(),
                            row.secret() != null
                                    && untracked.containsKey(row.secret().key()));
                    ev.beginRow()
                            .append(entry.getKey())
                            .append(e.eventId())
                            .append(Cells.utc(e.eventTime()))
                            .append(e.eventSource())
                            .append(e.eventName());
                    Cells.text(ev, e.eventType());
                    Cells.text(ev, e.awsRegion());
                    Cells.text(ev, e.accountId());
                    Cells.text(ev, e.errorCode());
                    Cells.text(ev, e.errorMessage());
                    Cells.text(ev, e.principal().key());
                    Cells.text(ev, e.principal().type());
                    Cells.text(ev, e.principal().sessionArn());
                    Cells.text(ev, e.sourceIp());
                    Cells.text(ev, e.userAgent());
                    ev.append(row.secret() != null).append(e.filterBatch());
                    Cells.text(ev, row.sourceFile());
                    Cells.whole(ev, row.sourceRecord());
                    ev.appendNull(); // raw: the record stays in the events topic (V015)
                    Cells.text(ev, e.requestId()); // V003
                    ev.append(e.carriedValue()); // V004
                    ev.append(arrival++); // V007
                    EventDetails x = e.details(); // V015
                    Cells.text(ev, x.accessKeyId());
                    Cells.text(ev, x.sourceIdentity());
                    Cells.text(ev, x.vpcEndpointId());
                    Cells.text(ev, x.versionId());
                    Cells.text(ev, x.forceDelete());
                    Cells.text(ev, x.recoveryWindowDays());
                    Cells.text(ev, x.filters());
                    Cells.text(ev, x.resourcePolicy());
                    Cells.whole(ev, row.kafkaPartition());
                    Cells.whole(ev, row.kafkaOffset());
                    ev.endRow();
                }
            }
        }
        if (!d.pairs().isEmpty()) {
            try (DuckDBAppender sec = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_secrets")) {
                for (var entry : d.pairs().entrySet()) {
                    if (d.stored().contains(entry.getKey())) {
                        continue;
                    }
                    SecretRef ref = entry.getValue().secret();
                    Boolean newName = untracked.get(ref.key());
                    if (newName == null) {
                        rollups.pair(entry.getValue().event(), ref);
                    } else {
                        rollups.unknown(entry.getValue().event(), ref, newName);
                    }
                    sec.beginRow()
                            .append(entry.getKey())
                            .append(Cells.utc(entry.getValue().event().eventTime()))
                            .append(entry.getValue().event().eventId())
                            .append(ref.key())
                            .append(ref.resolved());
                    Cells.text(sec, ref.account());
                    Cells.text(sec, ref.region());
                    Cells.text(sec, ref.name());
                    sec.endRow();
                }
            }
        }
        return inserted;
    }

    /** The arrival number of the batch's first new event (V007): the store appends in arrival order. */
    private long nextArrival() throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Sql.text("store/arrival-next"))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
