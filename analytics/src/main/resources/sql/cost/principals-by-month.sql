-- Per UTC month ('YYYY-MM'), principal ('unknown' when the event names none) and the region the call was made
-- in (whose call price bills it), the API calls up to asOf: every principal, not only the top ones.
-- Parameters: $1 asOf, $2 price.batchEntriesBilled (false: generated batch entries, batch_entries, are not
-- calls of their own).
SELECT strftime(event_time, '%Y-%m') AS month, coalesce(principal, 'unknown') AS principal, aws_region, count(*)
FROM events
WHERE event_type = 'AwsApiCall' AND event_time <= $1
  AND ($2 OR event_id NOT IN (SELECT entry_id FROM batch_entries))
GROUP BY ALL
