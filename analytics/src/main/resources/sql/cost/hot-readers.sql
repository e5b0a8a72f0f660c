-- Per (secret, principal), the reads this month to asOf (read_refs: a batch and the entries it generated are
-- one read) and the caller instances (source IP, user agent) that made them, where the reads exceed
-- maxReadsPerHour on average.
-- Parameters: asOf, month start, maxReadsPerHour, hours since month start.
SELECT r.arn, r.principal, count(*) AS reads,
    count(DISTINCT (coalesce(e.source_ip, ''), coalesce(e.user_agent, ''))) AS instances
FROM read_refs r JOIN events e USING (event_id)
WHERE r.event_time <= ? AND r.event_time >= ? AND r.principal IS NOT NULL
GROUP BY ALL HAVING count(*) > ? * ?
ORDER BY reads DESC
