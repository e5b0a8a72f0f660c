-- For a rebuild: own_candidates (event_id, user_agent), the events that are SecretTrail's own if their user agent
-- carries its marker (see OwnCalls.owns), which Rollups tries on each distinct agent (own-agents-distinct.sql).
-- $1: the principals, $2: the actions (JSON arrays).
CREATE OR REPLACE TEMP TABLE own_candidates AS
SELECT event_id, user_agent FROM events
WHERE list_contains($1::JSON::VARCHAR[], principal) AND list_contains($2::JSON::VARCHAR[], event_name)
  AND principal_type IS DISTINCT FROM 'AWSAccount' AND user_agent IS NOT NULL
