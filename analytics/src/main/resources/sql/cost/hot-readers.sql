-- Per (secret, principal), the reads this month to asOf and the caller instances (source IP, user agent)
-- that made them, where the reads exceed maxReadsPerHour on average.
-- Parameters: asOf, month start, maxReadsPerHour, hours since month start.
WITH ev AS (SELECT * FROM events WHERE event_time <= ?)
SELECT r.arn, e.principal, count(*) AS reads,
    count(DISTINCT (coalesce(e.source_ip, ''), coalesce(e.user_agent, ''))) AS instances
FROM event_refs r JOIN ev e USING (event_id)
WHERE e.event_type = 'AwsApiCall' AND e.event_name IN ('GetSecretValue', 'BatchGetSecretValue')
  AND e.event_time >= ? AND e.principal IS NOT NULL
GROUP BY ALL HAVING count(*) > ? * ?
ORDER BY reads DESC
