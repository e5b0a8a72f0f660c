-- Per secret, n (the existing secrets its call names, billed_refs) and UTC month ('YYYY-MM'), the API calls up
-- to asOf and those in the rate window [window start, asOf). Parameters: $1 asOf, $2 window start,
-- $3 price.batchEntriesBilled (false: the GetSecretValue entries a batch generated, batch_entries, are not
-- calls of their own). event_time is a UTC TIMESTAMP, so strftime gives the UTC month.
WITH ev AS (SELECT event_id, event_time, event_type FROM events WHERE event_time <= $1),
named AS (SELECT event_id, count(*) AS n FROM billed_refs GROUP BY event_id)
SELECT r.arn, named.n, strftime(e.event_time, '%Y-%m') AS month,
    count(*),
    count(*) FILTER (WHERE e.event_time >= $2 AND e.event_time < $1)
FROM billed_refs r JOIN named USING (event_id) JOIN ev e USING (event_id)
WHERE e.event_type = 'AwsApiCall' AND ($3 OR e.event_id NOT IN (SELECT entry_id FROM batch_entries))
GROUP BY ALL
