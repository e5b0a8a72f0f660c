-- Per UTC month ('YYYY-MM'): the API calls up to asOf, those attributed to no secret (naming none, or none
-- that exists: billed_refs) and those in the rate window [window start, asOf). Failed calls count; service
-- events do not. Parameters: $1 asOf, $2 window start, $3 price.batchEntriesBilled (false: generated batch
-- entries, batch_entries, are not calls of their own).
SELECT strftime(event_time, '%Y-%m') AS month,
    count(*),
    count(*) FILTER (WHERE event_id NOT IN (SELECT event_id FROM billed_refs)),
    count(*) FILTER (WHERE event_time >= $2 AND event_time < $1)
FROM events
WHERE event_type = 'AwsApiCall' AND event_time <= $1
  AND ($3 OR event_id NOT IN (SELECT entry_id FROM batch_entries))
GROUP BY ALL
