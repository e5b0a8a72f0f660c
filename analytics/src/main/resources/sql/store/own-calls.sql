-- For a rebuild: own_calls (event_id), the stored events that are SecretTrail's own (see OwnCalls.owns): the
-- candidates of own-agents-candidates.sql whose user agent carries the marker (own_agents).
-- $1: the principals, $2: the actions (JSON arrays).
CREATE OR REPLACE TEMP TABLE own_calls AS
SELECT event_id FROM events
WHERE list_contains($1::JSON::VARCHAR[], principal) AND list_contains($2::JSON::VARCHAR[], event_name)
  AND principal_type IS DISTINCT FROM 'AWSAccount' AND user_agent IN (SELECT user_agent FROM own_agents)
