-- Per secret and event name, the (event, secret) pairs up to asOf. Parameter 1: asOf.
SELECT r.arn, e.event_name, count(*)
FROM event_refs r JOIN events e USING (event_id)
WHERE e.event_time <= ?
GROUP BY ALL
