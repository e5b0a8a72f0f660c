-- Per secret and n (the existing secrets its call names, billed_refs), the API calls this month to asOf and
-- those in the rate window. Parameters: $1 asOf, $2 month start, $3 window start, $4 price.batchEntriesBilled
-- (false: the GetSecretValue entries a batch generated, batch_entries, are not calls of their own).
WITH ev AS (SELECT * FROM events WHERE event_time <= $1),
named AS (SELECT event_id, count(*) AS n FROM billed_refs GROUP BY event_id)
SELECT r.arn, named.n,
    count(*) FILTER (WHERE e.event_time >= $2),
    count(*) FILTER (WHERE e.event_time >= $3 AND e.event_time < $1)
FROM billed_refs r JOIN named USING (event_id) JOIN ev e USING (event_id)
WHERE e.event_type = 'AwsApiCall' AND ($4 OR e.event_id NOT IN (SELECT entry_id FROM batch_entries))
GROUP BY r.arn, named.n
