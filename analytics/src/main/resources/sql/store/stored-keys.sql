-- The keys among these already stored: $1 event keys, $2 (event, secret) pair keys, both within the
-- batch's time range $3..$4. The batch's keys go in as list parameters; DuckDB hash-joins them with
-- the stored keys. A copy of an event has its eventTime, so only row groups whose time range
-- overlaps the batch's are read (zone maps): trails arrive roughly in time order, and the check
-- stays cheap however large the table grows.
SELECT k FROM (SELECT unnest($1::UUID[]) AS k)
WHERE k IN (SELECT event_key FROM events WHERE event_time BETWEEN $3 AND $4)
UNION ALL
SELECT k FROM (SELECT unnest($2::UUID[]) AS k)
WHERE k IN (SELECT pair_key FROM event_secrets WHERE event_time BETWEEN $3 AND $4)
