-- Per secret and event name, the (event, secret) pairs up to asOf, SecretTrail's own calls (self_calls) left out.
-- Parameter 1: asOf.
SELECT r.arn, e.event_name, count(*)
FROM event_refs r JOIN events e USING (event_id)
WHERE e.event_time <= ? AND e.event_id NOT IN (SELECT event_id FROM self_calls)
GROUP BY ALL
