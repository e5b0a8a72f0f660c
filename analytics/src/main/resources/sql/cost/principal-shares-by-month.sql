-- A scope's principals (analyze --team): per UTC month ('YYYY-MM'), principal (as principals-by-month names it:
-- 'secrettrail' for SecretTrail's own calls, 'unknown' when the event names none), the region the call was made in
-- (whose call price bills it) and n (the existing secrets the call names, billed_refs), the (call, secret) pairs
-- whose secret is in the scope up to asOf: the principal's share of the scope's calls is that count over n, the same
-- 1/n a secret's line is given (calls-by-secret), so a scope's principals add up to its calls.
-- Parameters: $1 asOf, $2 price.batchEntriesBilled (false: generated batch entries, batch_entries, are not calls of
-- their own), $3 the scope's ARNs as a JSON array.
WITH named AS (SELECT event_id, count(*) AS n FROM billed_refs GROUP BY event_id)
SELECT strftime(e.event_time, '%Y-%m') AS month,
    CASE WHEN e.event_id IN (SELECT event_id FROM self_calls) THEN 'secrettrail' ELSE coalesce(e.principal, 'unknown') END
        AS principal,
    e.aws_region, named.n, count(*)
FROM billed_refs r JOIN named USING (event_id) JOIN events e USING (event_id)
WHERE e.event_type = 'AwsApiCall' AND e.event_time <= $1
  AND ($2 OR e.event_id NOT IN (SELECT entry_id FROM batch_entries))
  AND r.arn IN (SELECT unnest($3::JSON::VARCHAR[]))
GROUP BY ALL
