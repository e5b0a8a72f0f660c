-- Per UTC month ('YYYY-MM'), account and region, the billed API calls up to asOf that are attributed to no secret
-- (naming none that exists: billed_refs), counted as the cost model counts calls (cost/calls-by-month): failed calls
-- count, service events do not. Parameters: $1 asOf, $2 price.batchEntriesBilled.
SELECT strftime(event_time, '%Y-%m') AS month, account_id, aws_region, count(*)
FROM events
WHERE event_type = 'AwsApiCall' AND event_time <= $1
  AND ($2 OR event_id NOT IN (SELECT entry_id FROM batch_entries))
  AND event_id NOT IN (SELECT event_id FROM billed_refs)
GROUP BY ALL
