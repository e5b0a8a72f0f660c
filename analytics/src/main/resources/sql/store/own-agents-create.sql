-- For a rebuild: the user agents of own-call candidates that carry SecretTrail's marker (filled by Rollups, which
-- tries the marker's Java regular expression on each).
CREATE OR REPLACE TEMP TABLE own_agents (user_agent VARCHAR NOT NULL)
