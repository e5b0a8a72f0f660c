-- Per UTC month ('YYYY-MM'), account and region, the billed API calls up to asOf that are attributed to no secret
-- (naming none that exists: billed_refs), and those in the rate window [window start, asOf), counted as the cost
-- model counts calls (cost/calls-by-month): failed calls count, service events do not. The region is the one the
-- call was made in, whose call price bills it. Parameters: $1 asOf, $2 window start, $3 price.batchEntriesBilled.
SELECT strftime(event_time, '%Y-%m') AS month, account_id, aws_region,
    count(*),
    count(*) FILTER (WHERE event_time >= $2 AND event_time < $1)
FROM events
WHERE event_type = 'AwsApiCall' AND event_time <= $1
  AND ($3 OR event_id NOT IN (SELECT entry_id FROM batch_entries))
  AND event_id NOT IN (SELECT event_id FROM billed_refs)
GROUP BY ALL
