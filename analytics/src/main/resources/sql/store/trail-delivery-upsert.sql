-- A trail file read: account, region, file, latest eventTime, records. Read again, it keeps the later time.
INSERT INTO trail_deliveries VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (account, region, file) DO UPDATE
SET latest_event_time = greatest(trail_deliveries.latest_event_time, excluded.latest_event_time),
    records = greatest(trail_deliveries.records, excluded.records)
