-- The successful PutResourcePolicy calls up to asOf, with the secret each names. Parameter 1: asOf.
SELECT e.event_id, r.arn, e.resource_policy FROM events e JOIN event_refs r USING (event_id)
WHERE e.event_time <= ? AND e.event_name = 'PutResourcePolicy' AND e.error_code IS NULL
