-- Who used a secret successfully after a given instant and up to asOf, with which actions.
-- Parameters: asOf, secret ARN, from.
WITH ev AS (SELECT * FROM events WHERE event_time <= ?)
SELECT DISTINCT e.principal, e.event_name
FROM event_refs r JOIN ev e USING (event_id)
WHERE r.arn = ? AND e.error_code IS NULL AND e.event_type = 'AwsApiCall' AND e.event_time > ? AND e.principal IS NOT NULL
