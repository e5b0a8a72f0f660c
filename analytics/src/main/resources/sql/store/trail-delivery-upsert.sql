-- The trail files a batch read, in one statement (account, region, file, latest eventTime in epoch
-- microseconds, records, as lists): one upsert per file ran at a few hundred files a second. Read again,
-- a file keeps the later time and the larger count; grouped first, since one statement may not update
-- a row twice (the same file announced twice in one batch).
INSERT INTO trail_deliveries
SELECT account, region, file, make_timestamp(max(latest_us)), max(records)
FROM (
    SELECT unnest(?::VARCHAR[]) AS account, unnest(?::VARCHAR[]) AS region, unnest(?::VARCHAR[]) AS file,
        unnest(?::BIGINT[]) AS latest_us, unnest(?::BIGINT[]) AS records
)
GROUP BY account, region, file
ON CONFLICT (account, region, file) DO UPDATE
SET latest_event_time = greatest(trail_deliveries.latest_event_time, excluded.latest_event_time),
    records = greatest(trail_deliveries.records, excluded.records)
