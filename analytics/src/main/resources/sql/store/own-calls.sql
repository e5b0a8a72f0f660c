-- For a rebuild: own_calls (event_id), the stored events that are SecretTrail's own (see OwnCalls.owns): the
-- candidates whose user agent carries the marker (own_agents).
CREATE OR REPLACE TEMP TABLE own_calls AS
SELECT event_id FROM own_candidates WHERE user_agent IN (SELECT user_agent FROM own_agents);
DROP TABLE own_candidates;
