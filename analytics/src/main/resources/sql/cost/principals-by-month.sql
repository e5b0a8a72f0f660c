-- Per UTC month ('YYYY-MM'), principal ('unknown' when the event names none) and the region the call was made
-- in (whose call price bills it), the API calls up to asOf: every principal, not only the top ones. SecretTrail's
-- own calls (self_calls) are billed too, but to the principal 'secrettrail', not to the principal it runs as.
-- Parameters: $1 asOf, $2 price.batchEntriesBilled (false: generated batch entries, batch_entries, are not
-- calls of their own).
SELECT strftime(event_time, '%Y-%m') AS month,
    CASE WHEN event_id IN (SELECT event_id FROM self_calls) THEN 'secrettrail' ELSE coalesce(principal, 'unknown') END
        AS principal,
    aws_region, count(*)
FROM events
WHERE event_type = 'AwsApiCall' AND event_time <= $1
  AND ($2 OR event_id NOT IN (SELECT entry_id FROM batch_entries))
GROUP BY ALL
