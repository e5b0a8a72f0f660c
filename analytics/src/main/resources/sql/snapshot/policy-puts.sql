-- The resource policies to judge, with the secret each is on: the successful PutResourcePolicy calls up to asOf,
-- and each secret's current policy (GetResourcePolicy read by asOf, or a saved output), as the id
-- 'current:<ARN>'. The policy comes as JSON text holding the document as a string either way.
-- Parameters 1, 2: asOf.
SELECT e.event_id, r.arn, e.resource_policy FROM events e JOIN event_refs r USING (event_id)
WHERE e.event_time <= ? AND e.event_name = 'PutResourcePolicy' AND e.error_code IS NULL
UNION ALL
SELECT 'current:' || arn, arn, to_json(policy)::VARCHAR FROM resource_policies
WHERE policy IS NOT NULL AND (read_at IS NULL OR read_at <= ?)
