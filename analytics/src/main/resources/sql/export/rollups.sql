-- The daily rollups exported as Parquet (table rollups): the partial rows the batches wrote, summed, for the days
-- up to asOf's. A secret_key of '' is an event naming no secret, a principal of '' an unknown caller.
-- Parameter: $1 asOf.
CREATE OR REPLACE TEMP TABLE export_rollups AS
SELECT day, secret_key, principal, event_name, api_call,
    sum(calls)::BIGINT AS calls, sum(events)::BIGINT AS events, sum(errors)::BIGINT AS errors,
    min(first_seen) AS first_seen, max(last_seen) AS last_seen
FROM rollup_daily
WHERE day <= CAST($1 AS DATE)
GROUP BY ALL
